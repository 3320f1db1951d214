import ArgumentParser
import TrafficSelection

/// `throttlectl tags`: what a service-tags file holds, and what changed between two of them.
struct TagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "List the service tags of a tag file, or the prefixes added and removed between two files.",
        discussion: """
            FILE is Microsoft's weekly service-tags JSON (ServiceTags_Public_YYYYMMDD.json) or the output of \
            `az network list-service-tags --location REGION`. For each tag: its region, its IPv4 and IPv6 prefix \
            counts, and how many prefixes remain after merging duplicates, contained and adjacent prefixes. With \
            --tag, only those tags, and the merged count of them together (what a traffic selection installs).

            Examples:
              throttlectl tags ServiceTags_Public_20251028.json --tag AzureBackup,Storage,AzureActiveDirectory
              throttlectl tags ServiceTags_Public_20251013.json --diff ServiceTags_Public_20251028.json --tag AzureCloud
            """
    )

    @Argument(help: ArgumentHelp("The service-tags JSON file.", valueName: "file"))
    var file: String

    @Option(name: .customLong("tag"), parsing: .singleValue,
            help: ArgumentHelp("A tag to show (repeatable, or comma-separated).", valueName: "name"))
    var tagArguments: [String] = []

    @Option(help: ArgumentHelp("A newer tag file: print the prefixes of the --tag tags it adds and removes.",
                               valueName: "other-file"))
    var diff: String?

    @Flag(help: "Print JSON.")
    var json = false

    /// The tags asked for, in order, each once (`--tag A,A` lists A once).
    var tagNames: [String] {
        var seen: Set<String> = []
        return tagArguments.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .map { String($0).trimmingCharacters(in: .whitespaces) }
            .filter { seen.insert($0).inserted }
    }

    func validate() throws {
        if tagNames.contains(where: \.isEmpty) { throw ValidationError("--tag needs a name (an empty one was given)") }
        if diff != nil && tagNames.isEmpty { throw ValidationError("--diff needs at least one --tag") }
    }

    func run() throws {
        let tagFile = try ServiceTagFileLoader.load(file)
        if let diff {
            let newer = try ServiceTagFileLoader.load(diff)
            for warning in Self.diffWarnings(old: tagFile, new: newer) { printError("warning: \(warning)") }
            let (tags, newerTags) = try resolveForDiff(tagNames, old: tagFile, new: newer)
            let change = PrefixDiff(from: tags.flatMap(\.prefixes), to: newerTags.flatMap(\.prefixes))
            print(json ? TagsReport.diffJSON(change, old: tagFile, new: newer, tags: tagNames)
                  : TagsReport.diffText(change, old: tagFile, new: newer, tags: tagNames))
            return
        }
        let tags = try resolve(tagNames, in: tagFile)
        let shown = tagNames.isEmpty ? tagFile.tags : tags
        let merged = tagNames.isEmpty ? nil : PrefixSet(tags.flatMap(\.prefixes))
        print(json ? TagsReport.json(shown, file: tagFile, merged: merged) : TagsReport.text(shown, file: tagFile, merged: merged))
    }

    /// The named tags, or exits 65 naming each unknown one with the nearest real name.
    private func resolve(_ names: [String], in tagFile: ServiceTagFile) throws -> [ServiceTag] {
        var found: [ServiceTag] = []
        var unknown = false
        for name in names {
            if let tag = tagFile.tag(named: name) {
                found.append(tag)
            } else {
                unknown = true
                let hint = tagFile.suggestion(for: name).map { ": did you mean \($0)?" } ?? ""
                printError("--tag: no service tag \(name) in \(tagFile.path)\(hint)")
            }
        }
        if unknown { throw ExitCode(ExitStatus.invalidInput.rawValue) }
        return found
    }

    /// The named tags in each file of a diff. A tag in one file only is compared with nothing (Microsoft adds
    /// and retires regional tags), with a warning; a tag in neither exits 65 with the nearest real name.
    private func resolveForDiff(_ names: [String], old: ServiceTagFile, new: ServiceTagFile) throws
        -> (old: [ServiceTag], new: [ServiceTag]) {
        var found: (old: [ServiceTag], new: [ServiceTag]) = ([], [])
        var unknown = false
        for name in names {
            let before = old.tag(named: name)
            let after = new.tag(named: name)
            switch (before, after) {
            case (nil, nil):
                unknown = true
                let hint = (old.suggestion(for: name) ?? new.suggestion(for: name)).map { ": did you mean \($0)?" } ?? ""
                printError("--tag: no service tag \(name) in \(old.path) or \(new.path)\(hint)")
            case (nil, _):
                printError("warning: service tag \(name) is not in \(old.path): all its prefixes in \(new.path) are listed as added")
            case (_, nil):
                printError("warning: service tag \(name) is not in \(new.path): all its prefixes in \(old.path) are listed as removed")
            default:
                break
            }
            if let before { found.old.append(before) }
            if let after { found.new.append(after) }
        }
        if unknown { throw ExitCode(ExitStatus.invalidInput.rawValue) }
        return found
    }

    /// What makes a diff between two files misleading, though still printable: files of different clouds,
    /// or a "newer" file whose change number is lower.
    static func diffWarnings(old: ServiceTagFile, new: ServiceTagFile) -> [String] {
        var warnings: [String] = []
        if old.cloud != new.cloud {
            warnings.append(
                "\(old.path) is for cloud \(old.cloud.isEmpty ? "(none given)" : old.cloud) and \(new.path) for "
                    + "\(new.cloud.isEmpty ? "(none given)" : new.cloud): the diff compares different clouds")
        }
        if let oldNumber = UInt64(old.changeNumber), let newNumber = UInt64(new.changeNumber), newNumber < oldNumber {
            warnings.append(
                "--diff \(new.path) (change number \(newNumber)) is older than \(old.path) (change number "
                    + "\(oldNumber)): added and removed are swapped; give the older file first")
        }
        return warnings
    }
}
