/// A 128-bit fingerprint of a key's bytes, for finding duplicate keys without keeping the keys.
///
/// Two independent 64-bit lanes, each a multiply-fold hash seeded at random per process, so a
/// file cannot be crafted to make two different keys collide. For n keys the chance that two
/// different keys share a fingerprint is about n² / 2¹²⁹: below 10⁻²⁰ for a billion rows.
struct KeyFingerprint: Hashable, Comparable, BitwiseCopyable {
    var high: UInt64
    var low: UInt64

    static func < (a: KeyFingerprint, b: KeyFingerprint) -> Bool {
        a.high != b.high ? a.high < b.high : a.low < b.low
    }
}

/// Computes `KeyFingerprint`s with seeds chosen once per process.
struct KeyHasher: Sendable {
    private let seedA: UInt64
    private let seedB: UInt64

    init() {
        var generator = SystemRandomNumberGenerator()
        seedA = generator.next()
        seedB = generator.next()
    }

    /// Fixed seeds, for tests that need repeatable fingerprints.
    init(seedA: UInt64, seedB: UInt64) {
        self.seedA = seedA
        self.seedB = seedB
    }

    private static let kA: UInt64 = 0x9E37_79B9_7F4A_7C15
    private static let kB: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let kFinal: UInt64 = 0x1656_67B1_9E37_79F9

    /// The fingerprint of `bytes` under `salt` (the constraint's number, so equal bytes under two
    /// constraints never meet).
    @inline(__always)
    func fingerprint(_ bytes: UnsafeBufferPointer<UInt8>, salt: UInt64) -> KeyFingerprint {
        let count = bytes.count
        var a = seedA ^ (salt &* Self.kFinal) ^ UInt64(truncatingIfNeeded: count)
        var b = seedB ^ (salt &* Self.kA) ^ (UInt64(truncatingIfNeeded: count) &* Self.kB)
        guard let base = bytes.baseAddress else { return KeyFingerprint(high: Self.fold(a, Self.kFinal), low: Self.fold(b, Self.kFinal)) }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            a = Self.fold(a ^ word, Self.kA)
            b = Self.fold(b ^ word, Self.kB)
            offset += 8
        }
        if offset < count {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                word |= UInt64(base[offset]) << shift
                shift += 8
                offset += 1
            }
            a = Self.fold(a ^ word, Self.kA)
            b = Self.fold(b ^ word, Self.kB)
        }
        return KeyFingerprint(high: Self.fold(a, Self.kFinal), low: Self.fold(b ^ a, Self.kFinal))
    }

    /// Multiplies to 128 bits and folds the halves together: every input bit reaches every output bit.
    @inline(__always)
    private static func fold(_ x: UInt64, _ k: UInt64) -> UInt64 {
        let product = x.multipliedFullWidth(by: k)
        return product.high ^ product.low
    }
}
