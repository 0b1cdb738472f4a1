package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.ArrayList;
import java.util.List;

/** Frames about a user's devices: DEVICES, DEVICE_LIST, DEVICE_REVOKE. */
public sealed interface DeviceFrame extends Frame {

    /** 0x15 DEVICES, C→S: asks for DEVICE_LIST. */
    record Devices(int requestId) implements DeviceFrame {
        @Override
        public int typeCode() {
            return FrameType.DEVICES.code();
        }

        @Override
        public void write(BinaryWriter out) {}

        static Devices read(int requestId, BinaryReader<MalformedFrameException> in) {
            return new Devices(requestId);
        }
    }

    /** 0x16 DEVICE_LIST, S→C: {@code u16 n, n × entry, u8 more}; {@code more} says the list was truncated to fit. */
    record DeviceList(int requestId, List<DeviceInfo> devices, boolean more) implements DeviceFrame {
        public DeviceList(int requestId, List<DeviceInfo> devices, boolean more) {
            this.requestId = requestId;
            this.devices = List.copyOf(devices);
            this.more = more;
            Checks.list(this.devices, FrameCodec.payloadLength(this), "device list");
        }

        /** A reply with as many leading entries of {@code all} as fit in one frame; {@code more} if some did not. */
        public static DeviceList fitting(int requestId, List<DeviceInfo> all) {
            List<DeviceInfo> fit = Entries.fitting(all, new DeviceList(requestId, List.of(), false));
            return new DeviceList(requestId, fit, fit.size() < all.size());
        }

        @Override
        public int typeCode() {
            return FrameType.DEVICE_LIST.code();
        }

        @Override
        public void write(BinaryWriter out) {
            Entries.writeList(out, devices, more);
        }

        static DeviceList read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            int n = in.count16(Limits.LIST_COUNT, DeviceInfo.MIN_LENGTH, "devices");
            List<DeviceInfo> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(DeviceInfo.read(in));
            }
            return new DeviceList(requestId, list, in.flag("more"));
        }
    }

    /** 0x17 DEVICE_REVOKE, C→S: {@code u32 deviceId}. */
    record DeviceRevoke(int requestId, int deviceId) implements DeviceFrame {
        @Override
        public int typeCode() {
            return FrameType.DEVICE_REVOKE.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.u32(deviceId);
        }

        static DeviceRevoke read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new DeviceRevoke(requestId, in.u32("deviceId"));
        }
    }
}
