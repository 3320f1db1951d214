/// Reads IANA time zone names.
public enum TimeZoneName {
    /// The zone named `text` (for example `Europe/Berlin`) in the system's zone files (`TZDIR`, else
    /// `/usr/share/zoneinfo`), or an error for names that are not zones there.
    /// - Throws: ``ValueError`` naming the folder searched and giving an example.
    public static func parse(_ text: String) throws(ValueError) -> TimeZoneRules {
        try parse(text, in: .system)
    }

    /// The zone named `text` in `database`.
    ///
    /// `UTC` is `Etc/UTC` (falling back to the file `UTC`, then to a built-in UTC).
    /// - Throws: ``ValueError`` naming the folder searched and giving an example.
    public static func parse(_ text: String, in database: TimeZoneDatabase) throws(ValueError) -> TimeZoneRules {
        let name = text.trimmingWhitespace()
        if name == "UTC" {
            // Reports have always called it Etc/UTC, whichever file holds it.
            let zone = (try? database.zone(named: "Etc/UTC")) ?? (try? database.zone(named: "UTC")) ?? .utc
            return TimeZoneRules(renaming: zone, to: "Etc/UTC")
        }
        do throws(ValueError) {
            if let why = notAZone(name) { throw ValueError(why) }
            return try database.zone(named: name)
        } catch {
            var message = "unknown time zone \"\(text)\": "
            if (try? PosixTimeZoneRule(parsing: name)) != nil {
                message +=
                    "that is a POSIX TZ rule, not an IANA zone name; for a fixed offset use Etc/GMT-5 "
                    + "(5 hours ahead of UTC) or Etc/GMT+5 (5 hours behind), signs reversed as POSIX does; "
            } else {
                message += "\(error.message); "
            }
            message +=
                "give an IANA name such as Europe/Berlin, America/New_York or UTC "
                + "(the names of the zone files under \(database.directory))"
            throw ValueError(message)
        }
    }

    /// Why `name`, a file in the zone folder, is not an IANA zone name; `nil` for every other name.
    ///
    /// The folder holds files that parse as zones but are no zone's name: `localtime` (the system's own
    /// link), `posixrules` (a template for POSIX rules), `Factory` (a placeholder) and the `posix/` and
    /// `right/` copies of every zone (`right/` counts leap seconds, which the kernel's clock does not).
    static func notAZone(_ name: String) -> String? {
        let first = name.split(separator: "/", maxSplits: 1).first.map(String.init) ?? name
        let rest = name.dropFirst(first.count + 1)
        switch first {
        case "localtime":
            return "that is the system's zone file, not an IANA zone name; omit time-zone to use the system's zone"
        case "posixrules":
            return "that is tzdata's template for POSIX rules, not an IANA zone name"
        case "Factory":
            return "that is tzdata's placeholder for an unset zone, not a place"
        case "posix" where !rest.isEmpty:
            return "posix/ holds copies of the zones; write \"\(rest)\""
        case "right" where !rest.isEmpty:
            return "right/ zones count leap seconds, which the system clock does not; write \"\(rest)\""
        default:
            return nil
        }
    }
}
