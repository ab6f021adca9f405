package dev.ledgerhook.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.ledgerhook.stack.StackResources;
import dev.ledgerhook.teststack.TestStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

@QuarkusTest
@QuarkusTestResource(TestStackResource.class)
class IngestStackWiringTest {

    @Inject
    StackResources resources;

    @Inject
    DynamoDbClient dynamoDb;

    @Test
    void theIngestFunctionBootsAgainstTheTestStackAndReachesItsTables() {
        assertEquals(TableStatus.ACTIVE, dynamoDb.describeTable(d -> d.tableName(resources.eventsTable())).table().tableStatus());
        assertEquals(TableStatus.ACTIVE, dynamoDb.describeTable(d -> d.tableName(resources.tenantsTable())).table().tableStatus());
    }

    @Test
    void anUnknownRouteIsNotFound() {
        given().when().get("/nowhere").then().statusCode(404);
    }
}
