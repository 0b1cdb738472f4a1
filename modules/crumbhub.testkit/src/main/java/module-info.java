/** Test support shared by every module's tests: waiting for a state with a deadline, and a clock moved by hand. */
module crumbhub.testkit {
    exports crumbhub.testkit;
}
