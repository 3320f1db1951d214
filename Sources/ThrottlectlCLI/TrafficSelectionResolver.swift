import ArgumentParser
import Foundation
import ThrottlePolicy
import TrafficSelection

/// A policy's traffic selection, resolved against its service-tags file.
struct ResolvedTraffic {
    /// What to shape: merged remote prefixes (exclusions taken out) and ports.
    let selection: TrafficSelection
    /// The tag file read (or recorded), when the request names one.
    let tagFile: TagFileFacts?
    /// The request as the policy and flags gave it.
    let request: TrafficRequest
    /// What a ``SelectionCache`` record of this resolution is keyed by (`nil`: not cacheable).
    var cacheKey: String? = nil
    /// True when the selection came from the cache, not from reading the tag file.
    var fromCache = false

    /// The record to keep in the cache for this resolution, if it can be cached.
    var record: ResolvedSelectionRecord? {
        guard let cacheKey, let tagFile else { return nil }
        return ResolvedSelectionRecord(key: cacheKey, tagFilePath: tagFile.path, cloud: tagFile.cloud,
                                       changeNumber: tagFile.changeNumber, selection: selection)
    }
}

/// What reports say about the tag file a selection was resolved from.
struct TagFileFacts {
    let path: String
    let cloud: String
    let changeNumber: String
}

/// Turns a policy's ``TrafficRequest`` into a ``TrafficSelection``: reads the service-tags file, expands the
/// preset, and resolves tags and prefixes, reporting every problem with its place. Commands call it after the
/// policy is built and before any netlink call, so nothing is applied when the selection is wrong.
enum TrafficSelectionResolver {
    /// The problems that stop a resolution, and the exit code they call for (66: the tag file cannot be read;
    /// 65: anything wrong in it or in the selection).
    struct Failure: Error {
        let problems: [SelectionProblem]
        var exitCode: Int32 { problems.contains { $0.exitCode == 66 } ? 66 : 65 }
    }

    /// The path to open for `serviceTags`: a relative path written in a policy file is relative to that file's
    /// folder; one given as a flag (or in a policy read from standard input) to the working directory.
    static func tagFilePath(for serviceTags: TrafficRequest.Item<String>) -> String {
        let path = serviceTags.value
        guard !path.hasPrefix("/"), case .file(let location) = serviceTags.origin,
            location.file != "-", location.file != "/dev/stdin"
        else { return path }
        let folder = (location.file as NSString).deletingLastPathComponent
        return folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
    }

    /// Resolves `request`: the tag file (when named), then the preset's tags and port, the tags, prefixes,
    /// exclusions and ports.
    /// - Throws: ``Failure`` with every problem found.
    /// With a `cache`, a record made for the same tag file (device, inode, size, modification and change times)
    /// and the same request is used instead of reading the file; the caller saves ``ResolvedTraffic/record``
    /// once the selection is applied.
    static func resolve(_ request: TrafficRequest, cache: SelectionCache? = nil) throws(Failure) -> ResolvedTraffic {
        var tagFile: ServiceTagFile?
        var key: String?
        if let serviceTags = request.serviceTags, let cache {
            let path = tagFilePath(for: serviceTags)
            key = SelectionCache.key(tagFile: path, request: selectionRequest(for: request))
            if let key, let record = cache.load(), record.key == key {
                return ResolvedTraffic(
                    selection: record.selection,
                    tagFile: TagFileFacts(path: path, cloud: record.cloud, changeNumber: record.changeNumber),
                    request: request, cacheKey: key, fromCache: true)
            }
        }
        if let serviceTags = request.serviceTags {
            do throws(SelectionProblem) {
                tagFile = try ServiceTagFileLoader.read(tagFilePath(for: serviceTags),
                                                        namedAt: serviceTags.origin.place)
            } catch {
                // The prefixes and ports need no tag file: their mistakes are named in the same run.
                throw Failure(problems: [error] + TrafficSelection.problemsWithoutTagFile(in: selectionRequest(for: request)))
            }
        }
        do throws(SelectionProblems) {
            let selection = try TrafficSelection.resolve(selectionRequest(for: request), file: tagFile)
            return ResolvedTraffic(
                selection: selection,
                tagFile: tagFile.map { TagFileFacts(path: $0.path, cloud: $0.cloud, changeNumber: $0.changeNumber) },
                request: request, cacheKey: key)
        } catch { throw Failure(problems: error.problems) }
    }

    /// The request in TrafficSelection's terms, with `preset: mars` expanded (its tags and port placed at the
    /// preset, ahead of the ones written out).
    static func selectionRequest(for request: TrafficRequest) -> SelectionRequest {
        var tags: [Placed<String>] = []
        var ports: [Placed<Int>] = []
        if let preset = request.preset {
            switch preset.value {
            case .mars:
                tags = SelectionRequest.marsTags.map { Placed($0, at: preset.origin.place) }
                ports = SelectionRequest.marsPorts.map { Placed($0, at: preset.origin.place) }
            }
        }
        func placed<Value>(_ items: [TrafficRequest.Item<Value>]) -> [Placed<Value>] {
            items.map { Placed($0.value, at: $0.origin.place) }
        }
        return SelectionRequest(
            tags: tags + placed(request.tags), prefixes: placed(request.prefixes),
            excludedPrefixes: placed(request.excludedPrefixes), ports: ports + placed(request.ports))
    }

    /// The policy's selection (`nil`: the whole interface), or every problem on standard error and the exit
    /// code (65, or 66 for a tag file that cannot be read).
    static func selectionOrExit(for policy: Policy, cache: SelectionCache? = nil) throws -> ResolvedTraffic? {
        guard let request = policy.traffic else { return nil }
        do throws(Failure) {
            return try resolve(request, cache: cache)
        } catch {
            for problem in error.problems { printError(problem.description) }
            throw ExitCode(error.exitCode)
        }
    }
}

extension ValueOrigin {
    /// `FILE:LINE:COLUMN`, the flag's name, or nothing: how TrafficSelection names a place.
    var place: String {
        switch self {
        case .file(let location): return location.description
        case .flag(let name): return name
        case .code: return ""
        }
    }
}
