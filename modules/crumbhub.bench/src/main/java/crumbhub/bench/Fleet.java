package crumbhub.bench;

import java.util.List;

/**
 * Sets up bench clients on one kind of server: connects and authenticates them, and puts them
 * into rooms so that each room's members receive every message sent to it except their own.
 * Implementations: {@link CrumbFleet}, {@link IrcFleet}. Used from the orchestrating thread;
 * every method blocks until done, bounded by {@code --setup-timeout}.
 */
sealed interface Fleet permits CrumbFleet, IrcFleet {

    /**
     * Opens {@code count} connections, numbered {@code first..first+count-1}, each authenticated
     * (CrumbHub) or registered (IRC) and ready to be put into rooms. Connections numbered in
     * several calls are the same as those of one call over the whole range (the idle scenario
     * opens its connections in two halves).
     */
    List<LoadClient> connect(int first, int count) throws BenchException;

    /**
     * Makes each client a member of room {@code roomOf[i]}, receiving its messages live; a
     * CrumbHub room keeps no members from earlier runs, so every delivery reaches a bench client.
     *
     * @param roomOf a room index per client, 0..rooms-1
     */
    void formRooms(List<LoadClient> clients, int[] roomOf, int rooms) throws BenchException;

    /** The protocol's name for room {@code r}, for notes: {@code #benchroom0}. */
    String roomName(int r);
}
