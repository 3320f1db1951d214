import ArgumentParser
import Foundation
import ThrottlePolicy

/// Where a command's policy comes from: a file, MARS-style flags, or both (flags override the file).
struct PolicyOptions: ParsableArguments {
    // Options whose values may start with "-" (a negative rate, time or date) are unconditional, so that the
    // value reaches our parsers and their "is negative" naming the flag, not ArgumentParser's "missing value".
    // Collected as a list so that a second --policy is refused instead of silently replacing the first.
    @Option(name: .customLong("policy"), parsing: .singleValue,
            help: ArgumentHelp("A policy file (YAML or JSON).", valueName: "file"))
    var policyFiles: [String] = []

    /// The one policy file given, if any (`validate()` refuses two).
    var policyFile: String? { policyFiles.first }

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Work days, comma-separated: mon,tue or mon-fri (MARS -WorkDay).", valueName: "days"))
    var workDays: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Start of work hours, HH:MM (MARS -StartWorkHour).", valueName: "time"))
    var startWorkHour: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("End of work hours, HH:MM; 24:00 ends the day (MARS -EndWorkHour).", valueName: "time"))
    var endWorkHour: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Bandwidth in work hours: bits/s, or 512kibit, 2mbit, 1MB/s, unlimited; UPLOAD:DOWNLOAD sets the "
                + "directions apart (MARS -WorkHourBandwidth).",
            valueName: "rate"))
    var workHourBandwidth: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Bandwidth outside work hours (MARS -NonWorkHourBandwidth).", valueName: "rate"))
    var nonWorkHourBandwidth: String?

    @Flag(help: "Throttling off (MARS -NoThrottle); goes alone, with at most --time-zone and --os-profile.")
    var noThrottle = false

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("IANA time zone of the work hours (default: the system's).", valueName: "zone"))
    var timeZone: String?

    @Option(help: ArgumentHelp("OS profile to emulate (default: linux); see `throttlectl profiles`.", valueName: "name"))
    var osProfile: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Dates treated as non-work days, comma-separated YYYY-MM-DD.", valueName: "dates"))
    var exceptionDates: String?

    @OptionGroup(title: "Traffic selection (default: the whole interface)") var traffic: TrafficOptions

    /// The schedule flags that MARS puts in one parameter set, by name.
    private var scheduleFlags: [(PolicyField, String?)] {
        [
            (.workDays, workDays), (.startWorkHour, startWorkHour), (.endWorkHour, endWorkHour),
            (.workHourBandwidth, workHourBandwidth), (.nonWorkHourBandwidth, nonWorkHourBandwidth),
        ]
    }

    mutating func validate() throws {
        if policyFiles.count > 1 {
            throw ValidationError(
                "--policy is given \(policyFiles.count) times (\(policyFiles.joined(separator: ", "))): "
                    + "give one policy file, and flags to override it")
        }
        let givenScheduleFlags = scheduleFlags.filter { $0.1 != nil }.map { $0.0.flag }
        if noThrottle && !givenScheduleFlags.isEmpty {
            throw ValidationError(
                "--no-throttle cannot be combined with \(givenScheduleFlags.joined(separator: ", ")): as in MARS, "
                    + "-NoThrottle is its own parameter set")
        }
        guard policyFile == nil, !noThrottle else { return }
        if givenScheduleFlags.isEmpty {
            throw ValidationError(
                "no policy given: use --policy FILE, or the MARS-style flags --work-days, --start-work-hour, "
                    + "--end-work-hour, --work-hour-bandwidth and --non-work-hour-bandwidth, or --no-throttle")
        }
        let missing = scheduleFlags.filter { $0.1 == nil }.map { $0.0.flag }
        if !missing.isEmpty {
            throw ValidationError(
                "missing \(missing.joined(separator: ", ")): without --policy, the MARS-style flags go together "
                    + "(or use --no-throttle)")
        }
    }

    /// The policy these options describe, validated as a whole.
    /// - Throws: ``PolicyFileError`` or ``PolicyError`` with every problem found.
    func resolvePolicy() throws -> Policy {
        var draft: PolicyDraft
        if let policyFile {
            draft = try PolicyLoader.draft(text: try PolicyLoader.readText(path: policyFile), file: policyFile)
            try refuseScheduleFlags(over: draft)
        } else {
            draft = PolicyDraft(documentOrigin: .flag("flags"), namesSettingsAsFlags: true)
        }
        return try draft.overlaid(with: try flagDraft()).build()
    }

    /// The policy, or its problems on standard error and the exit code they call for.
    func policyOrExit() throws -> Policy {
        do { return try resolvePolicy() } catch let error as FlagConflict {
            printError("Error: \(error.message)")
            throw ExitCode(ExitStatus.usage.rawValue)
        } catch {
            throw reportFailure(error)
        }
    }

    /// The policy, refused like ``policyOrExit()`` and also when its traffic selection is broken (65/66, every
    /// problem at its place), for the commands whose answer does not depend on the selection (`simulate`, `next`)
    /// but that must not accept a policy that `validate`, `show` and `apply` refuse.
    func policyWithCheckedSelectionOrExit() throws -> Policy {
        let policy = try policyOrExit()
        _ = try TrafficSelectionResolver.selectionOrExit(for: policy)
        return policy
    }

    /// Refuses schedule flags over a file that turns throttling off: they would be silently ignored, and
    /// turning throttling on behind the file's back is not what a flag that sets a rate says (exit 64).
    private func refuseScheduleFlags(over file: PolicyDraft) throws {
        guard !noThrottle, let throttling = file.throttling, !throttling.value else { return }
        let given = scheduleFlags.filter { $0.1 != nil }.map { $0.0.flag }
        guard !given.isEmpty else { return }
        let place: String
        if case .file(let location) = throttling.origin { place = " at \(location)" } else { place = "" }
        throw FlagConflict(
            message: "\(given.joined(separator: ", ")) would be ignored: the policy turns throttling off "
                + "(throttling: false\(place)); set throttling: true in the file, or give the whole schedule as flags without --policy")
    }

    /// The settings given as flags, each with the flag as its origin.
    private func flagDraft() throws(PolicyError) -> PolicyDraft {
        var draft = PolicyDraft(documentOrigin: .flag("flags"), namesSettingsAsFlags: true)
        var problems: [PolicyDiagnostic] = []
        func read<Value>(_ text: String?, _ field: PolicyField, _ parse: (String) throws(ValueError) -> Value)
            -> PolicyDraft.Setting<Value>?
        {
            guard let text else { return nil }
            do throws(ValueError) {
                return PolicyDraft.Setting(try parse(text), origin: .flag(field.flag))
            } catch {
                problems.append(PolicyDiagnostic(origin: .flag(field.flag), message: error.message))
                return nil
            }
        }
        if noThrottle { draft.throttling = .init(false, origin: .flag(PolicyField.throttling.flag)) }
        draft.workDays = read(workDays, .workDays, Weekday.parseList)
        draft.startWorkHour = read(startWorkHour, .startWorkHour, TimeOfDay.init(parsing:))
        draft.endWorkHour = read(endWorkHour, .endWorkHour, TimeOfDay.init(parsing:))
        if let pair = read(workHourBandwidth, .workHourBandwidth, Bandwidth.parseDirections) {
            draft.workHourBandwidth = .init(pair.value.upload, origin: pair.origin)
            draft.workHourDownloadBandwidth = pair.value.download.map { .init($0, origin: pair.origin) }
        }
        if let pair = read(nonWorkHourBandwidth, .nonWorkHourBandwidth, Bandwidth.parseDirections) {
            draft.nonWorkHourBandwidth = .init(pair.value.upload, origin: pair.origin)
            draft.nonWorkHourDownloadBandwidth = pair.value.download.map { .init($0, origin: pair.origin) }
        }
        draft.timeZone = read(timeZone, .timeZone, TimeZoneName.parse)
        draft.osProfile = read(osProfile, .osProfile, OSProfile.init(parsing:))
        draft.exceptionDates = read(exceptionDates, .exceptionDates) { (text: String) throws(ValueError) in
            // Empty items are refused, as in --work-days: a blank must not silently drop a holiday.
            Set(try text.split(separator: ",", omittingEmptySubsequences: false).map { (part) throws(ValueError) in
                try LocalDate(parsing: String(part))
            })
        }
        do throws(PolicyError) { draft.traffic = try traffic.draft() } catch { problems += error.diagnostics }
        guard problems.isEmpty else { throw PolicyError(problems) }
        return draft
    }
}

/// Flags that do not go with the policy file they are given with: a usage error (64), found once the file is read.
struct FlagConflict: Error {
    var message: String
}
