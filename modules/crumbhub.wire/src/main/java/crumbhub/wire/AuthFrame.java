package crumbhub.wire;

import crumbhub.crypto.binary.BinaryReader;
import crumbhub.crypto.binary.BinaryWriter;
import java.util.Arrays;
import java.util.Objects;

/** Frames that open and close a device's session: REGISTER, LOGIN, RESUME, AUTH_OK, LOGOUT (docs/protocol.md §3). */
public sealed interface AuthFrame extends Frame {

    /** 0x10 REGISTER, C→S: {@code str8(NAME) user, bytes8(PASSWORD) password, str8(INVITE) invite, str8(DEVICE_NAME) deviceName}. */
    record Register(int requestId, String user, byte[] password, String invite, String deviceName) implements AuthFrame {
        public Register {
            Checks.str(user, Limits.NAME, "user");
            Checks.bytes(password, Limits.PASSWORD, "password");
            Checks.str(invite, Limits.INVITE, "invite");
            Checks.str(deviceName, Limits.DEVICE_NAME, "device name");
        }

        @Override
        public int typeCode() {
            return FrameType.REGISTER.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(user).bytes8(password).str8(invite).str8(deviceName);
        }

        static Register read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new Register(requestId, in.str8(Limits.NAME, "user"), in.bytes8(Limits.PASSWORD, "password"),
                    in.str8(Limits.INVITE, "invite"), in.str8(Limits.DEVICE_NAME, "deviceName"));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Register r && requestId == r.requestId && user.equals(r.user)
                    && Arrays.equals(password, r.password) && invite.equals(r.invite) && deviceName.equals(r.deviceName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, user, invite, deviceName) * 31 + Arrays.hashCode(password);
        }

        @Override
        public String toString() {
            return "Register[requestId=" + requestId + ", user=" + user + ", password=<redacted>, invite="
                    + (invite.isEmpty() ? "<none>" : "<redacted>") + ", deviceName=" + deviceName + "]";
        }
    }

    /** 0x11 LOGIN, C→S: {@code str8(NAME) user, bytes8(PASSWORD) password, str8(DEVICE_NAME) deviceName}. */
    record Login(int requestId, String user, byte[] password, String deviceName) implements AuthFrame {
        public Login {
            Checks.str(user, Limits.NAME, "user");
            Checks.bytes(password, Limits.PASSWORD, "password");
            Checks.str(deviceName, Limits.DEVICE_NAME, "device name");
        }

        @Override
        public int typeCode() {
            return FrameType.LOGIN.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(user).bytes8(password).str8(deviceName);
        }

        static Login read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new Login(requestId, in.str8(Limits.NAME, "user"), in.bytes8(Limits.PASSWORD, "password"),
                    in.str8(Limits.DEVICE_NAME, "deviceName"));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Login l && requestId == l.requestId && user.equals(l.user)
                    && Arrays.equals(password, l.password) && deviceName.equals(l.deviceName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, user, deviceName) * 31 + Arrays.hashCode(password);
        }

        @Override
        public String toString() {
            return "Login[requestId=" + requestId + ", user=" + user + ", password=<redacted>, deviceName="
                    + deviceName + "]";
        }
    }

    /** 0x12 RESUME, C→S: {@code str8(NAME) user, u32 deviceId, token}. */
    record Resume(int requestId, String user, int deviceId, DeviceToken token) implements AuthFrame {
        public Resume {
            Checks.str(user, Limits.NAME, "user");
            Objects.requireNonNull(token, "token");
        }

        @Override
        public int typeCode() {
            return FrameType.RESUME.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(user).u32(deviceId);
            token.writeTo(out);
        }

        static Resume read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new Resume(requestId, in.str8(Limits.NAME, "user"), in.u32("deviceId"), DeviceToken.read(in, "token"));
        }
    }

    /** 0x13 AUTH_OK, S→C: {@code str8(NAME) user, u32 deviceId, token}. */
    record AuthOk(int requestId, String user, int deviceId, DeviceToken token) implements AuthFrame {
        public AuthOk {
            Checks.str(user, Limits.NAME, "user");
            Objects.requireNonNull(token, "token");
        }

        @Override
        public int typeCode() {
            return FrameType.AUTH_OK.code();
        }

        @Override
        public void write(BinaryWriter out) {
            out.str8(user).u32(deviceId);
            token.writeTo(out);
        }

        static AuthOk read(int requestId, BinaryReader<MalformedFrameException> in) throws MalformedFrameException {
            return new AuthOk(requestId, in.str8(Limits.NAME, "user"), in.u32("deviceId"), DeviceToken.read(in, "token"));
        }
    }

    /** 0x14 LOGOUT, C→S: revokes the current device. */
    record Logout(int requestId) implements AuthFrame {
        @Override
        public int typeCode() {
            return FrameType.LOGOUT.code();
        }

        @Override
        public void write(BinaryWriter out) {}

        static Logout read(int requestId, BinaryReader<MalformedFrameException> in) {
            return new Logout(requestId);
        }
    }
}
