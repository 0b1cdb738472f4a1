/** Pure cryptography for CrumbHub: no I/O, no threads, no clocks. Only java.base. */
module crumbhub.crypto {
    exports crumbhub.crypto;
    exports crumbhub.crypto.binary;
    exports crumbhub.crypto.noise;
    exports crumbhub.crypto.identity;
    exports crumbhub.crypto.account;
    exports crumbhub.crypto.pqxdh;
    exports crumbhub.crypto.ratchet;
    exports crumbhub.crypto.group;
    exports crumbhub.crypto.file;
}
