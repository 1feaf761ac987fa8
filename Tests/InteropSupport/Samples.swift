public import MessagePack

/// Values that look like what Specimen stores, and values that touch every format family; the
/// seeds of the mutation test and the subjects of round-trip tests.
public enum Samples {
    /// A typical sealed run's manifest (about 1 KB).
    public static let runManifest: MessagePackValue = [
        "format": "specimen.run/1",
        "run_id": "20251222_194653",
        "run_timestamp": "2025-12-22T19:46:53Z",
        "specimen": "mnist-baseline",
        "status": "completed",
        "started_at": "2025-12-22T19:46:53.120000Z",
        "ended_at": "2025-12-22T19:52:10.874512Z",
        "exit_code": 0,
        "command": ["python", "train.py", "--epochs", "10"],
        "params": ["lr": 0.001, "batch_size": 128, "optimizer": "adam", "dropout": 0.25, "seed": 42, "augment": true],
        "host": ["hostname": "gpu-node-07", "os": "Linux 6.8.0", "arch": "x86_64", "cpus": 32],
        "git": ["commit": "3f9c2a1b7e4d5c6f8a9b0c1d2e3f4a5b6c7d8e9f", "branch": "main", "dirty": false],
        "metrics": [
            "rows": 1200,
            "columns": [["name": "run_id", "type": "string"], ["name": "step", "type": "int64"], ["name": "loss", "type": "double"]],
            "summary": [
                "loss": ["last": 0.0412, "min": 0.0398, "max": 2.3026, "count": 1200],
                "accuracy": ["last": 0.9871, "min": 0.0912, "max": 0.9889, "count": 1200],
                "step": ["last": 1199, "min": 0, "max": 1199, "count": 1200],
            ],
        ],
        "files": [
            "metrics.parquet": ["size": 48213, "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
            "model.pt": ["size": 4_718_592, "sha256": "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"],
        ],
        "tags": ["baseline", "cpu", "nightly"],
        "notes": "First run after the data fix — ünïcödé text ✓",
    ]

    /// A specimen's own manifest.
    public static let specimenManifest: MessagePackValue = [
        "format": "specimen/1",
        "name": "mnist-baseline",
        "created_at": "2025-12-20T08:00:00Z",
        "description": "Baseline MLP on MNIST",
        "tags": ["mnist"],
        "protocol": ["path": "protocol.py", "sha256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"],
    ]

    /// One value of every format family, each at the edges of its forms.
    public static let everyFamily: MessagePackValue = .array([
        .nil, .bool(false), .bool(true),
        0, 127, 128, 255, 256, 65535, 65536, 4_294_967_295, 4_294_967_296, .int(Int64.max), .uint(UInt64.max),
        -1, -32, -33, -128, -129, -32768, -32769, .int(Int64(Int32.min)), .int(Int64(Int32.min) - 1), .int(Int64.min),
        .float32(1.5), .float32(-.infinity), .float64(0.1), .float64(-0.0), .float64(.greatestFiniteMagnitude),
        "", "a", .string(letters(31)), .string(letters(32)), .string(letters(256)), "żółw 🐢",
        .binary([]), .binary([0, 255]), .binary(filler(256)),
        [], .array((0 ..< 16).map { .int(Int64($0)) }),
        [:], .map((0 ..< 16).map { (key: .string("k\($0)"), value: .int(Int64($0))) }),
        .map([(key: 1, value: "one"), (key: .nil, value: [1, 2]), (key: ["x"], value: ["y": 2])]),
        .ext(type: 1, data: [1]), .ext(type: 2, data: [1, 2]), .ext(type: 3, data: filler(4)),
        .ext(type: 4, data: filler(8)), .ext(type: 5, data: filler(16)), .ext(type: 6, data: []),
        .ext(type: 7, data: filler(3)), .ext(type: -128, data: filler(256)),
        .timestamp(.init(seconds: 0)), .timestamp(.init(seconds: 1_766_433_213, nanoseconds: 250_000_000)),
        .timestamp(.init(seconds: -1, nanoseconds: 500_000_000)), .timestamp(.init(seconds: 17_179_869_184)),
    ])

    /// Nested arrays and maps a few levels deep.
    public static let nested: MessagePackValue = [
        "a": [[1, [2, [3, ["deep": [4, 5]]]]]],
        "b": ["c": ["d": ["e": ["f": "g"]]]],
    ]

    /// All of the above, encoded: the seeds for mutation.
    public static let seeds: [[UInt8]] = [runManifest, specimenManifest, everyFamily, nested].map { $0.encoded() }
}

/// `count` bytes cycling through 0…250, for payloads whose length matters.
public func filler(_ count: Int) -> [UInt8] {
    (0 ..< count).map { UInt8($0 % 251) }
}

/// A string of `count` ASCII letters.
public func letters(_ count: Int) -> String {
    String(decoding: (0 ..< count).map { UInt8(ascii: "a") + UInt8($0 % 26) }, as: UTF8.self)
}
