/// The exponential moving average TensorBoard draws, with its bias correction: the running
/// average starts at 0 and is divided by `1 - weight^n` after `n` finite values, so the first
/// points are not pulled towards zero. Non-finite values pass through unchanged and do not
/// enter the average; a constant series is returned as it is. The page's script computes the
/// same thing (`ema` in `PageScript`).
enum Smoothing {
    /// `values` smoothed with `weight` in 0 ..< 1 (0 returns them unchanged).
    static func ema(_ values: [Double], weight: Double) -> [Double] {
        guard weight > 0, let first = values.first else { return values }
        if values.allSatisfy({ $0 == first }) { return values }
        var last = 0.0
        var accumulated = 0
        return values.map { value in
            guard value.isFinite else { return value }
            last = last * weight + (1 - weight) * value
            accumulated += 1
            let debias = weight == 1 ? 1 : 1 - pow(weight, Double(accumulated))
            return last / debias
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
