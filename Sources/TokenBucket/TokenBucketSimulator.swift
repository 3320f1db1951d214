/// A discrete-event simulator of one token bucket in front of a byte-limited FIFO queue, as TBF shapes.
///
/// Tokens are bytes: the bucket starts full, fills at the rate, and holds at most `bucketBytes`. A packet
/// leaves when it reaches the head of the queue and the bucket holds its size; it is dropped on arrival
/// when it is larger than the bucket (TBF's `max_size`) or when the queue's bytes plus its size would pass
/// the limit. Each arrival is handled in amortised constant time.
public struct TokenBucketSimulator: Sendable {
    /// The bucket and queue.
    public struct Configuration: Hashable, Sendable {
        /// The rate tokens arrive at.
        public var bytesPerSecond: Double
        /// The bucket's size (full at the start).
        public var bucketBytes: Double
        /// The most bytes the queue holds.
        public var queueLimitBytes: Double

        /// A bucket of `bucketBytes` filling at `bytesPerSecond` before a queue of `queueLimitBytes`.
        public init(bytesPerSecond: Double, bucketBytes: Double, queueLimitBytes: Double) {
            self.bytesPerSecond = bytesPerSecond
            self.bucketBytes = bucketBytes
            self.queueLimitBytes = queueLimitBytes
        }

        /// The configuration the kernel will run for TBF parameters.
        public init(_ parameters: TBFParameters) {
            self.init(bytesPerSecond: Double(parameters.rate.bytesPerSecond), bucketBytes: Double(parameters.effectiveBurst),
                      queueLimitBytes: Double(parameters.limit))
        }
    }

    /// A packet arriving at `time` seconds with `size` bytes.
    public struct Arrival: Hashable, Sendable {
        /// Seconds since the start of the run.
        public var time: Double
        /// The packet's size in bytes.
        public var size: UInt32

        /// A packet of `size` bytes at `time`.
        public init(time: Double, size: UInt32) {
            self.time = time
            self.size = size
        }
    }

    /// Why a packet was dropped.
    public enum DropReason: String, Hashable, Sendable {
        /// Larger than the bucket: it could never gather enough tokens.
        case largerThanBucket
        /// The queue's limit would be passed.
        case queueFull
    }

    /// What became of one packet.
    public enum Outcome: Hashable, Sendable {
        /// It left at this time (seconds).
        case departed(at: Double)
        /// It was dropped, for this reason.
        case dropped(DropReason)
    }

    /// The bucket and queue simulated.
    public let configuration: Configuration
    private var tokens: Double
    private var tokensTime = 0.0
    private var lastDeparture = -Double.infinity
    private var lastArrival = -Double.infinity
    private var queuedDepartures: [Double] = []
    private var queuedSizes: [UInt32] = []
    private var head = 0
    /// Bytes waiting in the queue at the time of the last arrival.
    public private(set) var backlogBytes = 0.0

    /// A simulator with a full bucket and an empty queue.
    public init(_ configuration: Configuration) {
        precondition(configuration.bytesPerSecond > 0, "a token bucket needs a positive rate")
        self.configuration = configuration
        tokens = configuration.bucketBytes
        queuedDepartures.reserveCapacity(1024)
        queuedSizes.reserveCapacity(1024)
    }

    /// Handles one arrival; arrivals must come in time order.
    public mutating func offer(_ arrival: Arrival) -> Outcome {
        precondition(arrival.time >= lastArrival, "arrivals must be in time order")
        lastArrival = arrival.time
        while head < queuedDepartures.count && queuedDepartures[head] <= arrival.time {
            backlogBytes -= Double(queuedSizes[head])
            head += 1
        }
        if head > 4096 && head * 2 > queuedDepartures.count {
            queuedDepartures.removeFirst(head)
            queuedSizes.removeFirst(head)
            head = 0
        }
        let size = Double(arrival.size)
        if size > configuration.bucketBytes { return .dropped(.largerThanBucket) }
        if backlogBytes + size > configuration.queueLimitBytes { return .dropped(.queueFull) }

        let start = max(arrival.time, lastDeparture)
        let available = min(configuration.bucketBytes, tokens + (start - tokensTime) * configuration.bytesPerSecond)
        let departure: Double
        if available >= size {
            departure = start
            tokens = available - size
        } else {
            departure = start + (size - available) / configuration.bytesPerSecond
            tokens = 0
        }
        tokensTime = departure
        lastDeparture = departure
        queuedDepartures.append(departure)
        queuedSizes.append(arrival.size)
        backlogBytes += size
        return .departed(at: departure)
    }

    /// Runs `arrivals` (in time order) through a fresh simulator.
    public static func run(_ configuration: Configuration, arrivals: [Arrival]) -> SimulationReport {
        var simulator = TokenBucketSimulator(configuration)
        var report = SimulationReport()
        report.outcomes.reserveCapacity(arrivals.count)
        for arrival in arrivals {
            let outcome = simulator.offer(arrival)
            report.record(arrival, outcome)
        }
        return report
    }
}

/// Every outcome of a simulation run, with totals.
public struct SimulationReport: Hashable, Sendable {
    /// What became of each packet, in arrival order.
    public var outcomes: [TokenBucketSimulator.Outcome] = []
    /// Packets that left.
    public private(set) var departedPackets = 0
    /// Bytes that left.
    public private(set) var departedBytes: UInt64 = 0
    /// Packets dropped for being larger than the bucket.
    public private(set) var droppedLargerThanBucket = 0
    /// Packets dropped because the queue was full.
    public private(set) var droppedQueueFull = 0
    /// The sum of the departed packets' queueing delays (seconds).
    public private(set) var totalQueueDelay = 0.0
    /// The longest queueing delay (seconds).
    public private(set) var maximumQueueDelay = 0.0
    /// When the last packet left, if any did.
    public private(set) var lastDeparture: Double?

    /// Packets dropped for any reason.
    public var droppedPackets: Int { droppedLargerThanBucket + droppedQueueFull }
    /// The mean queueing delay of departed packets (seconds; 0 if none).
    public var meanQueueDelay: Double { departedPackets == 0 ? 0 : totalQueueDelay / Double(departedPackets) }

    mutating func record(_ arrival: TokenBucketSimulator.Arrival, _ outcome: TokenBucketSimulator.Outcome) {
        outcomes.append(outcome)
        switch outcome {
        case .departed(let time):
            departedPackets += 1
            departedBytes += UInt64(arrival.size)
            let delay = time - arrival.time
            totalQueueDelay += delay
            maximumQueueDelay = max(maximumQueueDelay, delay)
            lastDeparture = time
        case .dropped(.largerThanBucket): droppedLargerThanBucket += 1
        case .dropped(.queueFull): droppedQueueFull += 1
        }
    }
}
