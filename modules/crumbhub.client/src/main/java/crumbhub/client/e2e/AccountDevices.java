package crumbhub.client.e2e;

import crumbhub.wire.DeviceInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * This account's devices with their states (docs/client.md "devices"): the one place that joins
 * the server's device list with {@link E2eClient#deviceStates()}, so the CLI's {@code devices},
 * the chat's {@code /devices} and the daemon's {@code devices} request show the same states.
 * Immutable.
 *
 * @param rows the devices the server lists, in its order, each approved or pending; then the
 *             devices this device saw approved that the server no longer lists, revoked
 * @param more whether the server's list did not fit one reply
 */
public record AccountDevices(List<Row> rows, boolean more) {
    public AccountDevices {
        rows = List.copyOf(rows);
    }

    /** One device: what the server lists of it (empty for a revoked device it no longer lists) and its state. */
    public record Row(long id, Optional<DeviceInfo> listed, E2eClient.DeviceState state) {
        public Row {
            Objects.requireNonNull(listed, "listed");
            Objects.requireNonNull(state, "state");
        }

        /** The state as the commands print it: {@code approved}, {@code pending}, {@code revoked}. */
        public String stateName() {
            return state.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Joins the server's list of this account's devices with their states. Blocking, network
     * ({@link E2eClient#deviceStates()}): call it from the CLI's thread or the chat's and daemon's
     * session thread, never from a UI or event-loop thread.
     */
    public static AccountDevices of(E2eClient e2e, List<DeviceInfo> listed, boolean more) {
        var states = e2e.deviceStates();
        var rows = new ArrayList<Row>();
        var ids = new HashSet<Long>();
        for (DeviceInfo d : listed) {
            long id = Integer.toUnsignedLong(d.id());
            ids.add(id);
            rows.add(new Row(id, Optional.of(d), states.getOrDefault(id, E2eClient.DeviceState.PENDING)));
        }
        states.forEach((id, state) -> {
            if (state == E2eClient.DeviceState.REVOKED && !ids.contains(id)) {
                rows.add(new Row(id, Optional.empty(), state));
            }
        });
        return new AccountDevices(rows, more);
    }
}
