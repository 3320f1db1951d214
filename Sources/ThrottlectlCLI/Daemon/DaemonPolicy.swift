import Foundation
import ThrottlePolicy
import TrafficSelection

#if canImport(Glibc)
    import Glibc
#endif

/// The policy the daemon enforces, with its schedule and its resolved traffic selection.
struct DaemonPolicy {
    let policy: Policy
    let schedule: Schedule
    let traffic: ResolvedTraffic?
    /// Where it came from: the policy file, or `flags`.
    let source: String

    init(policy: Policy, traffic: ResolvedTraffic?, source: String) {
        self.policy = policy
        self.source = source
        schedule = Schedule(policy: policy)
        self.traffic = traffic
    }

    /// Why a policy could not be (re)loaded: lines for a person and the exit code `run` ends with at start.
    struct Problems: Error {
        var lines: [String]
        var exitCode: Int32
    }

    /// Loads what `options` name, as `apply` does: the trust check on the file, the policy with its
    /// `FILE:LINE:COLUMN` problems, then the service-tags file and the selection. Reading again on SIGHUP picks
    /// up a new policy file, new zone data (zones are cached by file modification time) and a new tag file.
    static func load(_ options: PolicyOptions, insecure: Bool) -> Result<DaemonPolicy, Problems> {
        if let path = options.policyFile, let problem = regularFileProblem(path) {
            return .failure(Problems(lines: [problem], exitCode: ExitStatus.noInput.rawValue))
        }
        if let problem = PolicyTrust.problem(options.policyFile, insecure: insecure) {
            return .failure(Problems(lines: [problem], exitCode: ExitStatus.noPermission.rawValue))
        }
        let policy: Policy
        do { policy = try options.resolvePolicy() } catch {
            let problems = PolicyProblems(error)
            return .failure(Problems(lines: problems.lines, exitCode: problems.exitCode))
        }
        var traffic: ResolvedTraffic?
        if let request = policy.traffic {
            do throws(TrafficSelectionResolver.Failure) {
                traffic = try TrafficSelectionResolver.resolve(request)
            } catch {
                return .failure(Problems(lines: error.problems.map(\.description), exitCode: error.exitCode))
            }
            let tagFile = traffic?.tagFile?.path
            if let problem = PolicyTrust.problem(tagFile, insecure: insecure, subject: "service-tags file") {
                return .failure(Problems(lines: [problem], exitCode: ExitStatus.noPermission.rawValue))
            }
        }
        return .success(DaemonPolicy(policy: policy, traffic: traffic, source: options.policyFile ?? "flags"))
    }

    /// Why `path` cannot be the daemon's policy although `apply` could read it: a FIFO, standard input or a
    /// device is read once, and a SIGHUP would block the daemon on it (a writer that holds a FIFO open without
    /// writing kept `run` from ever seeing its SIGTERM). `nil` for a regular file, and for a path that does not
    /// exist or cannot be examined, which the loader reports as it does for `apply` (66).
    static func regularFileProblem(_ path: String) -> String? {
        var status = stat()
        guard path != "-", path != "/dev/stdin" else {
            return "\(path): run re-reads its policy on SIGHUP, so it must be a regular file, not standard input"
        }
        guard stat(path, &status) == 0 else { return nil }
        let kind = status.st_mode & S_IFMT
        guard kind != S_IFREG, kind != S_IFDIR else { return nil }
        return "\(path): is not a regular file (run re-reads its policy on SIGHUP, so a FIFO or a device cannot be it)"
    }

    /// One line for logs and systemd's STATUS: `work-hours 512 kbit/s until 2026-12-01T17:00:00+01:00`.
    func describe(_ window: Window) -> String {
        var text = window.allowance.description
        if let end = window.end {
            text += " until \(ISO8601.format(end, in: policy.timeZone))"
        } else {
            text += ", no transition ahead"
        }
        return text
    }
}
