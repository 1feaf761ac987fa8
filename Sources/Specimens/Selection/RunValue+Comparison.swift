extension RunValue {
    /// Whether `value op literal` holds: `==` by `equal`, `!=` its negation, the orderings by
    /// `order` (false when the two do not order).
    public static func holds(_ value: RunValue, _ op: RunComparison, _ literal: RunValue) -> Bool {
        switch op {
        case .equal: return equal(value, literal)
        case .notEqual: return !equal(value, literal)
        case .less: return order(value, literal).map { $0 < 0 } ?? false
        case .lessOrEqual: return order(value, literal).map { $0 <= 0 } ?? false
        case .greater: return order(value, literal).map { $0 > 0 } ?? false
        case .greaterOrEqual: return order(value, literal).map { $0 >= 0 } ?? false
        }
    }

    /// Query equality: ints and doubles numerically (NaN equals nothing), dates, strings (by
    /// bytes), bools and nulls by value, lists element by element; `.other` equals nothing.
    public static func equal(_ a: RunValue, _ b: RunValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.string(x), .string(y)): return x.utf8.elementsEqual(y.utf8)
        case let (.date(x), .date(y)): return x == y
        case let (.list(x), .list(y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        default: return order(a, b) == 0
        }
    }

    /// -1, 0 or 1 when the two values order: numbers (ints and doubles exactly, NaN never),
    /// dates, strings by UTF-8 bytes, and bools (false < true); nil for any other pair.
    public static func order(_ a: RunValue, _ b: RunValue) -> Int? {
        switch (a, b) {
        case let (.int(x), .int(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.double(x), .double(y)):
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        case let (.int(x), .double(y)): return orderIntDouble(x, y)
        case let (.double(x), .int(y)): return orderIntDouble(y, x).map { -$0 }
        case let (.date(x), .date(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.bool(x), .bool(y)): return x == y ? 0 : (!x ? -1 : 1)
        case let (.string(x), .string(y)):
            if x.utf8.elementsEqual(y.utf8) { return 0 }
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
        default: return nil
        }
    }

    /// An Int64 against a double, exactly (no rounding of large integers).
    private static func orderIntDouble(_ x: Int64, _ y: Double) -> Int? {
        if y.isNaN { return nil }
        if y >= 9_223_372_036_854_775_808.0 { return -1 }
        if y < -9_223_372_036_854_775_808.0 { return 1 }
        let whole = y.rounded(.down)
        let yInt = Int64(whole)   // in range: checked above
        if x < yInt { return -1 }
        if x > yInt { return 1 }
        return whole == y ? 0 : -1
    }

    /// `contains`: a list holds an element equal to `literal`; a string holds `literal` (a
    /// string) as a substring. False for anything else.
    public static func contains(_ value: RunValue, _ literal: RunValue) -> Bool {
        switch (value, literal) {
        case let (.list(elements), _): return elements.contains { equal($0, literal) }
        case let (.string(text), .string(part)):
            let haystack = Array(text.utf8), needle = Array(part.utf8)
            if needle.isEmpty { return true }
            guard haystack.count >= needle.count else { return false }
            for start in 0 ... haystack.count - needle.count where haystack[start] == needle[0] {
                if haystack[start ..< start + needle.count].elementsEqual(needle) { return true }
            }
            return false
        default: return false
        }
    }

    /// The rank of a value's kind in a sort (numbers, dates, strings, bools); nil for values
    /// that sort with the missing ones (null, NaN, lists, maps).
    var sortRank: Int? {
        switch self {
        case .int: return 0
        case .double(let value): return value.isNaN ? nil : 0
        case .date: return 1
        case .string: return 2
        case .bool: return 3
        case .null, .list, .other: return nil
        }
    }
}
