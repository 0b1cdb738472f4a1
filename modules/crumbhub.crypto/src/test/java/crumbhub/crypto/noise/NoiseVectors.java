package crumbhub.crypto.noise;

import crumbhub.crypto.Bytes;
import crumbhub.crypto.Json;
import crumbhub.crypto.Vectors;
import crumbhub.crypto.X25519KeyPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the two Noise vector files (formats in the vectors README) into one shape. */
final class NoiseVectors {
    static final String SUFFIX = "_" + HandshakeState.SUITE;

    /** How transport messages after the handshake are assigned to directions. */
    enum Transport {
        /** Index parity continues from the handshake; one-way patterns send only initiator to responder. */
        SNOW,
        /** The first transport message uses c1, the next c2, alternating, for every pattern. */
        FLYNN
    }

    record Party(byte[] prologue, byte[] staticPrivate, byte[] ephemeralPrivate, byte[] remoteStatic, List<byte[]> psks) {}

    record Message(byte[] payload, byte[] ciphertext) {}

    record Vector(String source, String protocolName, Party initiator, Party responder, List<Message> messages,
            Transport transport) {
        String patternName() {
            return protocolName.substring("Noise_".length(), protocolName.length() - SUFFIX.length());
        }

        @Override
        public String toString() {
            return source + ": " + protocolName;
        }
    }

    private NoiseVectors() {}

    static List<Vector> snow() {
        var root = Vectors.json("noise/snow.txt");
        var out = new ArrayList<Vector>();
        for (var v : Json.array(root.get("vectors"))) {
            var vector = Json.object(v);
            var name = (String) vector.get("protocol_name");
            if (!name.endsWith(SUFFIX)) {
                continue;
            }
            var messages = new ArrayList<Message>();
            for (var m : Json.array(vector.get("messages"))) {
                var message = Json.object(m);
                messages.add(new Message(hex(message, "payload"), hex(message, "ciphertext")));
            }
            out.add(new Vector("snow", name, snowParty(vector, "init_"), snowParty(vector, "resp_"), messages,
                    Transport.SNOW));
        }
        return out;
    }

    static List<Vector> flynn() {
        var out = new ArrayList<Vector>();
        for (var block : Vectors.read("noise/flynn-noise-vectors.txt").split("\\n\\s*\\n")) {
            Map<String, String> fields = new HashMap<>();
            block.strip().lines().forEach(line -> {
                int eq = line.indexOf('=');
                fields.put(line.substring(0, eq), line.substring(eq + 1));
            });
            var name = fields.get("handshake");
            if (name == null || !name.endsWith(SUFFIX)) {
                continue;
            }
            var pattern = HandshakePattern.byName(name.substring("Noise_".length(), name.length() - SUFFIX.length()));
            var prologue = Bytes.fromHex(fields.getOrDefault("prologue", ""));
            var psk = fields.get("preshared_key");
            List<byte[]> psks = psk == null ? List.of() : Collections.nCopies(pattern.pskCount(), Bytes.fromHex(psk));
            var initStatic = optionalHex(fields.get("init_static"));
            var respStatic = optionalHex(fields.get("resp_static"));
            var initiator = new Party(prologue, initStatic, Bytes.fromHex(fields.get("gen_init_ephemeral")),
                    pattern.responderPremessages().contains(Token.S) ? publicOf(respStatic) : null, psks);
            var responder = new Party(prologue, respStatic, Bytes.fromHex(fields.get("gen_resp_ephemeral")),
                    pattern.initiatorPremessages().contains(Token.S) ? publicOf(initStatic) : null, psks);
            var messages = new ArrayList<Message>();
            for (int i = 0; fields.containsKey("msg_" + i + "_ciphertext"); i++) {
                messages.add(new Message(Bytes.fromHex(fields.get("msg_" + i + "_payload")),
                        Bytes.fromHex(fields.get("msg_" + i + "_ciphertext"))));
            }
            out.add(new Vector("flynn", name, initiator, responder, messages, Transport.FLYNN));
        }
        return out;
    }

    private static Party snowParty(Map<String, Object> vector, String prefix) {
        var psks = new ArrayList<byte[]>();
        for (var p : Json.array(vector.get(prefix + "psks"))) {
            psks.add(Bytes.fromHex((String) p));
        }
        return new Party(hex(vector, prefix + "prologue"), optionalHex((String) vector.get(prefix + "static")),
                hex(vector, prefix + "ephemeral"), optionalHex((String) vector.get(prefix + "remote_static")), psks);
    }

    private static byte[] hex(Map<String, Object> object, String field) {
        return Bytes.fromHex((String) object.get(field));
    }

    private static byte[] optionalHex(String hex) {
        return hex == null ? null : Bytes.fromHex(hex);
    }

    private static byte[] publicOf(byte[] privateKey) {
        try (var pair = X25519KeyPair.fromPrivate(privateKey)) {
            return pair.publicKey();
        }
    }
}
