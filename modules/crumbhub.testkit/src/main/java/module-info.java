/**
 * Test support shared by every module's tests: waiting for a state with a deadline, a clock
 * moved by hand, the logging of test JVMs, and a TCP proxy that injects network faults.
 */
module crumbhub.testkit {
    requires java.logging;
    exports crumbhub.testkit;
}
