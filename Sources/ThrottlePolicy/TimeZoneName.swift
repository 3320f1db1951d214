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
}
