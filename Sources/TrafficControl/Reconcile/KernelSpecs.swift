/// Turns what the kernel reported back into specs that can re-create it.
enum KernelSpecs {
    static func qdisc(_ qdisc: KernelQdisc, device: String) -> QdiscSpec {
        let configuration: QdiscConfiguration
        switch (qdisc.kind, qdisc.options) {
        case ("tbf", .tbf(let options)) where options.peakRate == 0:
            // The kernel does not report the byte burst; callers that write it back fill it in.
            configuration = .tbf(TBFSetting(rate: options.rate, limit: options.limit, bufferTicks: options.bufferTicks,
                                            burst: 0))
        case ("ingress", _):
            configuration = .ingress
        case ("clsact", _):
            configuration = .clsact
        default:
            configuration = .recorded(kind: qdisc.kind, options: qdisc.rawOptions)
        }
        return QdiscSpec(device: device, handle: qdisc.handle, parent: qdisc.parent, configuration: configuration)
    }

    /// A qdisc exactly as dumped (kind and raw options), for putting someone else's qdisc back.
    static func recorded(_ qdisc: KernelQdisc, device: String) -> QdiscSpec {
        QdiscSpec(device: device, handle: qdisc.handle, parent: qdisc.parent,
                  configuration: .recorded(kind: qdisc.kind, options: qdisc.rawOptions))
    }
}
