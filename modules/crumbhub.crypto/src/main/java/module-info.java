/** Pure cryptography for CrumbHub: no I/O, no threads, no clocks. Only java.base. */
module crumbhub.crypto {
    exports crumbhub.crypto;
    exports crumbhub.crypto.noise;
}
