/** The CrumbHub server: accounts, devices, rooms, delivery, durable store, admin. Exports nothing. */
module crumbhub.server {
    requires crumbhub.wire;
    requires jdk.net;
}
