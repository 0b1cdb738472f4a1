/** The CrumbHub client: CLI, chat and daemon. Exports nothing. */
module crumbhub.client {
    requires crumbhub.wire;
}
