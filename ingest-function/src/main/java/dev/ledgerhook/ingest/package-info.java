/** The HTTP-triggered ingest function: webhook endpoints per tenant and source. */
package dev.ledgerhook.ingest;
