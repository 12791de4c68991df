import Testing

@testable import ParleyBench

/// Every percentile the benchmarks print is the nearest rank: the p-th percentile of n sorted values is the one
/// at rank ⌈p/100 × n⌉.
@Suite("Nearest-rank percentiles")
struct NearestRankTests {
    @Test("21 passes: the median is the 11th, p90 the 19th; 1,000 edits: p99 is the 990th, p100 the last")
    func ranks() {
        let passes = Array(1...21)
        #expect(passes.nearestRank(50) == 11)
        #expect(passes.nearestRank(90) == 19)
        let edits = (1...1_000).map(Double.init)
        #expect(edits.nearestRank(99) == 990)
        #expect(edits.nearestRank(95) == 950)
        #expect(edits.nearestRank(100) == 1_000)
        #expect(edits.nearestRank(0) == 1)
        #expect([Int]().nearestRank(50) == nil)
    }

    @Test("the latency result's percentiles sort the landed edits first")
    func latencyResult() {
        let result = LatencyBenchmark.Result(edits: 5, rate: 1, landed: [9, 1, 5, 3, 7], lost: 0, seconds: 1)
        #expect(result.percentile(50) == 5)
        #expect(result.percentile(99) == 9)
        #expect(LatencyBenchmark.Result(edits: 0, rate: 1, landed: [], lost: 0, seconds: 1).percentile(50).isNaN)
    }
}
