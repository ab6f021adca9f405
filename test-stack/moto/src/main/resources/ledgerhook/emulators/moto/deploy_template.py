"""Deploys the SAM template into moto's CloudFormation, as `sam deploy` would into AWS.

    python deploy_template.py --template sam-template.yaml --endpoint http://127.0.0.1:N \
        --stack NAME [--parameter Key=Value ...]

Steps, each as close to the real one as runs offline:

1. SAM's own transform (aws-sam-translator, the library `sam deploy` and CloudFormation use), on
   the template as written, with each function's CodeUri pointing at an S3 object uploaded first
   (what `sam package` does).
2. The resource types moto's CloudFormation cannot create are taken out, by type, and listed
   (LEFT_OUT). A kept resource that refers to one of them is an error: nothing else is dropped.
   Outputs that refer to them are dropped and listed.
3. CreateStack through boto3 against moto, waited on; its events and resources are the report.

Prints one JSON document: status, reason, resources (logical id, type, status, physical id),
leftOut, droppedOutputs, outputs, alarms, events of failed resources. Exits 0 whatever the stack did (the
caller asserts); non-zero only when the template cannot be transformed or a kept resource refers
to a left-out one.
"""

import argparse
import io
import json
import os
import re
import sys
import time
import zipfile

# moto 5.2.5's CloudFormation: AWS::Lambda::Version asks for a literal FunctionName (the
# transform gives a Ref), and the others it does not model or cannot wire without the versions.
# AWS::CloudWatch::Alarm has no CloudFormation model in moto: it answers CREATE_COMPLETE for the
# alarms and creates none (DescribeAlarms is empty), so they are left out rather than claimed.
LEFT_OUT = (
    "AWS::CloudWatch::Alarm",
    "AWS::Lambda::Version",
    "AWS::Lambda::Alias",
    "AWS::Lambda::Url",
    "AWS::Lambda::Permission",
    "AWS::Lambda::EventSourceMapping",
    "AWS::ApiGatewayV2::Api",
    "AWS::ApiGatewayV2::Integration",
    "AWS::ApiGatewayV2::Route",
    "AWS::ApiGatewayV2::Stage",
)
REGION = "us-east-1"
CODE_BUCKET = "ledgerhook-deploy-test-artifacts"


class NoManagedPolicies:
    """The transform asks IAM for AWS managed policy ARNs only for policies named in a function's
    Policies; both functions have their own Role, so the map is never needed."""

    def load(self):
        return {}


def main():
    args = parse_args()
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
    import boto3
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse

    with open(args.template, encoding="utf-8") as source:
        template = yaml_parse(source.read())
    s3 = boto3.client("s3", endpoint_url=args.endpoint, region_name=REGION)
    code_uris = upload_code(s3, template)
    parameters = dict(p.split("=", 1) for p in args.parameter)
    transformed = transform(template, dict(parameters), NoManagedPolicies())
    left_out, dropped_outputs = leave_out_unsupported(transformed)

    cloudformation = boto3.client("cloudformation", endpoint_url=args.endpoint, region_name=REGION)
    cloudformation.create_stack(
        StackName=args.stack,
        TemplateBody=json.dumps(transformed),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
        Capabilities=["CAPABILITY_IAM"],
    )
    stack = wait(cloudformation, args.stack, args.timeout)
    resources = cloudformation.list_stack_resources(StackName=args.stack)["StackResourceSummaries"]
    events = cloudformation.describe_stack_events(StackName=args.stack)["StackEvents"]
    report = {
        "status": stack["StackStatus"],
        "reason": stack.get("StackStatusReason"),
        "codeUris": code_uris,
        "templateResources": sorted(transformed["Resources"]),
        "resources": [{"logicalId": r["LogicalResourceId"], "type": r["ResourceType"],
                       "status": r["ResourceStatus"], "physicalId": r.get("PhysicalResourceId")}
                      for r in resources],
        "leftOut": left_out,
        "droppedOutputs": dropped_outputs,
        "outputs": {o["OutputKey"]: o.get("OutputValue") for o in stack.get("Outputs", [])},
        # moto lists alarms among the stack's resources without logical id or type: read them back
        # what moto ignores on create (a table's TimeToLiveSpecification and PointInTimeRecovery
        # Specification, a role's ManagedPolicyArns) the caller reads here, as CloudFormation got it
        "transformed": transformed["Resources"],
        "alarms": alarms(boto3.client("cloudwatch", endpoint_url=args.endpoint, region_name=REGION)),
        "failures": [{"logicalId": e["LogicalResourceId"], "reason": e.get("ResourceStatusReason")}
                     for e in events if e["ResourceStatus"].endswith("FAILED")],
    }
    json.dump(report, sys.stdout, indent=1, default=str)
    print()


def alarms(cloudwatch):
    """Every alarm in the account (the caller tells the stacks apart by the resources they watch):
    its metric, or the metrics of its expression, and their dimensions."""
    found = []
    for alarm in cloudwatch.describe_alarms()["MetricAlarms"]:
        metrics = [{"name": alarm.get("MetricName"), "dimensions": alarm.get("Dimensions", [])}]
        if alarm.get("Metrics"):
            metrics = [{"name": m["MetricStat"]["Metric"]["MetricName"], "dimensions": m["MetricStat"]["Metric"].get("Dimensions", [])}
                       for m in alarm["Metrics"] if "MetricStat" in m]
        found.append({"name": alarm["AlarmName"], "metrics": metrics,
                      "actions": alarm.get("AlarmActions", [])})
    return found


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", required=True)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--parameter", action="append", default=[], help="Key=Value, repeatable")
    parser.add_argument("--timeout", type=float, default=120)
    return parser.parse_args()


def upload_code(s3, template):
    """As `sam package`: each function's code in S3, its CodeUri rewritten to the object. The zip
    holds a marker file: the test is of the stack, not of the code (the build has its own check)."""
    s3.create_bucket(Bucket=CODE_BUCKET)
    uris = {}
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("built-by-sam-build.txt", logical_id)
        key = f"{logical_id}.zip"
        s3.put_object(Bucket=CODE_BUCKET, Key=key, Body=archive.getvalue())
        uris[logical_id] = resource["Properties"].get("CodeUri")
        resource["Properties"]["CodeUri"] = f"s3://{CODE_BUCKET}/{key}"
    return uris


def leave_out_unsupported(template):
    resources = template["Resources"]
    removed = {name: r["Type"] for name, r in resources.items() if r["Type"] in LEFT_OUT}
    for name in removed:
        del resources[name]
    dangling = {name: sorted(refs(resource) & set(removed)) for name, resource in resources.items()}
    dangling = {name: names for name, names in dangling.items() if names}
    if dangling:
        sys.exit(f"kept resources refer to left-out ones: {dangling}")
    outputs = template.get("Outputs", {})
    dropped = sorted(name for name, output in outputs.items() if refs(output) & set(removed))
    for name in dropped:
        del outputs[name]
    return [{"logicalId": name, "type": kind} for name, kind in sorted(removed.items())], dropped


def refs(node):
    """Logical ids a template fragment refers to: Ref, Fn::GetAtt, ${...} in Fn::Sub, DependsOn."""
    found = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::GetAtt":
                found.add(value[0] if isinstance(value, list) else value.split(".")[0])
            elif key == "Fn::Sub":
                text = value[0] if isinstance(value, list) else value
                found.update(m.split(".")[0] for m in re.findall(r"\$\{([^}!]+)\}", text))
            elif key == "DependsOn":
                found.update([value] if isinstance(value, str) else value)
            found |= refs(value)
    elif isinstance(node, list):
        for item in node:
            found |= refs(item)
    return found


def wait(cloudformation, name, timeout):
    deadline = time.monotonic() + timeout
    while True:
        stack = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
        if not stack["StackStatus"].endswith("_IN_PROGRESS") or time.monotonic() > deadline:
            return stack
        time.sleep(0.5)


if __name__ == "__main__":
    main()
