package crumbhub.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-time ML-KEM prekey frames (0x68–0x6B): bounds and fitting. */
class KemKeyFramesTest {
    /** The size of a one-time ML-KEM prekey's encoding (crumbhub.crypto.pqxdh.KemPreKey). */
    private static final int KEM_PREKEY = 1_253;

    @Test
    void aFullUploadOfRealSizedKeysFitsOneFrameAndRoundTrips() throws Exception {
        var keys = new ArrayList<byte[]>();
        for (int i = 0; i < Limits.KEM_PREKEYS_PER_UPLOAD; i++) {
            keys.add(new byte[KEM_PREKEY]);
        }
        var frame = new KemKeyFrame.KemPreKeysPublish(3, new byte[129], keys);
        assertThat(FrameCodec.decode(ByteBuffer.wrap(FrameCodec.encode(frame)))).isEqualTo(frame);
        keys.add(new byte[KEM_PREKEY]);
        assertThatThrownBy(() -> new KemKeyFrame.KemPreKeysPublish(3, new byte[129], keys))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void moreKeysThanAnUploadHoldsAreMalformed() {
        var p = RawFrames.payload().u16(1).u8(1).u16(Limits.KEM_PREKEYS_PER_UPLOAD + 1);
        for (int i = 0; i <= Limits.KEM_PREKEYS_PER_UPLOAD; i++) {
            p.u16(1).u8(i);
        }
        var e = catchThrowableOfType(MalformedFrameException.class, () -> FrameCodec.decode(p.frame(0x68, 1)));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("one-time KEM prekeys");
    }

    @Test
    void aReplyOfFullSizedBundlesIsSplitWithMore() {
        var bundle = new PqKeyBundle(new KeyBundle(1, new byte[129], new byte[101], new byte[KEM_PREKEY], new byte[37]),
                new byte[KEM_PREKEY]);
        var all = Collections.nCopies(Limits.DEVICES_PER_BUNDLE_REQUEST, bundle);
        var reply = KemKeyFrame.KeyBundlesPqReply.fitting(7, "bob", all);
        assertThat(reply.more()).isTrue();
        assertThat(reply.bundles()).isNotEmpty().hasSizeLessThan(all.size());
        assertThat(FrameCodec.encodedLength(reply)).isLessThanOrEqualTo(Protocol.MAX_FRAME_LENGTH + 2);
        assertThat(KemKeyFrame.KeyBundlesPqReply.fitting(7, "bob", List.of(bundle)).more()).isFalse();
    }
}
