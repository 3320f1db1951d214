import ArgumentParser

/// `--force` and `--insecure-policy`, for the commands that write to the kernel (`apply`, `run`).
struct ApplySafetyOptions: ParsableArguments {
    @Flag(help: "Replace a foreign root qdisc (it is recorded, and `clear` restores it).")
    var force = false

    @Flag(help: ArgumentHelp(
        "As root, apply a policy file (or the service-tags file it names) that group or others can write, or "
            + "another user owns."))
    var insecurePolicy = false
}
