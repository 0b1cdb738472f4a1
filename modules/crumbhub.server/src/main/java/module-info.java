/** The CrumbHub server: accounts, devices, rooms, delivery, durable store, admin. Exports nothing. */
module crumbhub.server {
    requires crumbhub.wire;
    requires jdk.net;
    /** Heap in use after garbage collection, for /health's memory pressure (docs/operations.md "Memory"). */
    requires java.management;
}
