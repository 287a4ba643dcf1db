/// A 128-bit fingerprint of a key, for finding duplicate keys without keeping the keys.
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

/// The seeds of `KeyHash`, chosen once per process.
struct KeyHasher: Sendable {
    let seedA: UInt64
    let seedB: UInt64

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

    /// Starts a key under `salt` (the constraint's number, so equal values under two constraints never meet).
    @inline(__always)
    func start(salt: UInt64) -> KeyHash {
        KeyHash(a: seedA ^ (salt &* KeyHash.kFinal), b: seedB ^ (salt &* KeyHash.kA))
    }

    /// The fingerprint of one byte string (a key of one component).
    func fingerprint(_ bytes: UnsafeBufferPointer<UInt8>, salt: UInt64) -> KeyFingerprint {
        var hash = start(salt: salt)
        hash.add(bytes)
        return hash.finish()
    }
}

/// A fingerprint being computed over a key's components, without copying them together. Each
/// component is absorbed with its length first, so `("ab", "c")` and `("a", "bc")` differ.
struct KeyHash {
    static let kA: UInt64 = 0x9E37_79B9_7F4A_7C15
    static let kB: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let kFinal: UInt64 = 0x1656_67B1_9E37_79F9

    var a: UInt64
    var b: UInt64

    /// Absorbs one 64-bit word.
    @inline(__always)
    mutating func add(_ word: UInt64) {
        a = Self.fold(a ^ word, Self.kA)
        b = Self.fold(b ^ word, Self.kB)
    }

    /// Absorbs a component: its length, then its bytes eight at a time.
    @inline(__always)
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        let count = bytes.count
        add(UInt64(truncatingIfNeeded: count) | 0x8000_0000_0000_0000)
        guard let base = bytes.baseAddress else { return }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= count {
            add(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
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
            add(word)
        }
    }

    @inline(__always)
    func finish() -> KeyFingerprint {
        KeyFingerprint(high: Self.fold(a, Self.kFinal), low: Self.fold(b ^ a, Self.kFinal))
    }

    /// Multiplies to 128 bits and folds the halves together: every input bit reaches every output bit.
    @inline(__always)
    static func fold(_ x: UInt64, _ k: UInt64) -> UInt64 {
        let product = x.multipliedFullWidth(by: k)
        return product.high ^ product.low
    }
}
