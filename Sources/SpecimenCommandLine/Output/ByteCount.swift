import Foundation

/// Human-readable byte counts: `512 B`, `12.3 KB`, `4.5 MB` (powers of 1024).
enum ByteCount {
    static func text(_ count: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }
}
