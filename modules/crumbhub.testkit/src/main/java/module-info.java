/**
 * Test support shared by every module's tests: waiting for a state with a deadline, a clock
 * moved by hand, and the logging of test JVMs.
 */
module crumbhub.testkit {
    requires java.logging;
    exports crumbhub.testkit;
}
