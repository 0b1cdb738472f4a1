package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The device-id list of a per-device request (KEY_BUNDLES, ACCOUNT_KEYS):
 * {@code u16 n, n × u32 deviceId}, n ≤ DEVICES_PER_BUNDLE_REQUEST.
 */
final class DeviceIds {
    private DeviceIds() {}

    /** An immutable copy of {@code ids}, checked against the per-request limit. */
    static List<Integer> checked(List<Integer> ids) {
        var copy = List.copyOf(ids);
        if (copy.size() > Limits.DEVICES_PER_BUNDLE_REQUEST) {
            throw new IllegalArgumentException("at most " + Limits.DEVICES_PER_BUNDLE_REQUEST + " devices per request");
        }
        return copy;
    }

    static void write(BinaryWriter out, List<Integer> ids) {
        out.u16(ids.size());
        for (int id : ids) {
            out.u32(id);
        }
    }

    static List<Integer> read(BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
        int n = in.count16(Limits.LIST_COUNT, 4, "deviceIds");
        if (n > Limits.DEVICES_PER_BUNDLE_REQUEST) {
            throw in.malformed("more than " + Limits.DEVICES_PER_BUNDLE_REQUEST + " devices");
        }
        var ids = new ArrayList<Integer>(n);
        for (int i = 0; i < n; i++) {
            ids.add(in.u32("deviceId"));
        }
        return ids;
    }
}
