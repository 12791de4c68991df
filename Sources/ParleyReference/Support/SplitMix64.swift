/// A small, fast, seedable random number generator (SplitMix64), so seeding and fault injection are
/// repeatable for a given seed.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    /// A generator for one independent stream, derived from a seed and a list of discriminators
    /// (for example the seed value, a company index and a purpose).
    init(seed: UInt64, stream: UInt64...) {
        var state = seed
        for value in stream {
            var step = SplitMix64(seed: state ^ (value &* 0x9E37_79B9_7F4A_7C15))
            state = step.next()
        }
        self.state = state
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniformly distributed double in 0..<1.
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with the given probability (0 never, 1 always).
    mutating func chance(_ probability: Double) -> Bool {
        if probability <= 0 { return false }
        if probability >= 1 { return true }
        return nextUnit() < probability
    }

    mutating func pick<T>(_ elements: [T]) -> T {
        elements[Int(next() % UInt64(elements.count))]
    }

    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}
