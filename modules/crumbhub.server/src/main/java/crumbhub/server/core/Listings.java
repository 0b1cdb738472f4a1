package crumbhub.server.core;

import crumbhub.server.domain.Device;
import crumbhub.server.domain.RoomRules;
import crumbhub.server.domain.User;
import crumbhub.wire.DeviceFrame;
import crumbhub.wire.DeviceInfo;
import crumbhub.wire.Frame;
import crumbhub.wire.MemberInfo;
import crumbhub.wire.MemberRole;
import crumbhub.wire.RoomFrame;
import crumbhub.wire.RoomInfo;
import crumbhub.wire.RoomStatus;
import java.util.ArrayList;
import java.util.List;

/** Builds the list replies of protocol §2, truncated to one frame with the {@code more} flag. */
final class Listings {
    private Listings() {}

    static Frame rooms(int requestId, List<RoomRules.RoomEntry> entries) {
        var rooms = new ArrayList<RoomInfo>(entries.size());
        for (RoomRules.RoomEntry e : entries) {
            rooms.add(new RoomInfo(e.room(), e.member() ? RoomStatus.MEMBER : RoomStatus.INVITED,
                    Math.min(e.members(), 0xFFFF)));
        }
        return RoomFrame.RoomListReply.fitting(requestId, rooms);
    }

    static Frame members(int requestId, List<RoomRules.MemberEntry> entries) {
        var members = new ArrayList<MemberInfo>(entries.size());
        for (RoomRules.MemberEntry e : entries) {
            members.add(new MemberInfo(e.user(), switch (e.role()) {
                case OWNER -> MemberRole.OWNER;
                case MEMBER -> MemberRole.MEMBER;
                case INVITED -> MemberRole.INVITED;
            }));
        }
        return RoomFrame.MemberList.fitting(requestId, members);
    }

    /** The user's active devices; {@code current} marks the asking connection's device. */
    static Frame devices(int requestId, User user, Device current) {
        var list = new ArrayList<DeviceInfo>();
        for (Device d : user.activeDevices()) {
            list.add(new DeviceInfo(d.id(), d.name(), d.createdMs(), d.lastSeenMs(), d == current));
        }
        return DeviceFrame.DeviceList.fitting(requestId, list);
    }
}
