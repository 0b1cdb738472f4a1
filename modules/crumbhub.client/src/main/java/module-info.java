/** The CrumbHub client and the bench load generator. Exports nothing. */
module crumbhub.client {
    requires crumbhub.wire;
}
