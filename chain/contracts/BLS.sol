// SPDX-License-Identifier: MIT
pragma solidity ^0.8.37;

/// @title BLS
/// @notice BLS12-381 signatures checked with the EIP-2537 precompiles; the Go side is
/// chain/bls.go. Public keys are G2 points (256 bytes), signatures G1 points (128 bytes),
/// messages 32-byte digests hashed to G1 per RFC 9380, suite
/// BLS12381G1_XMD:SHA-256_SSWU_RO_. Encoding (EIP-2537): an Fp element is 64 bytes
/// big-endian, the top 16 zero, value < p; G1 = x || y; G2 = x.c0 || x.c1 || y.c0 || y.c1;
/// the point at infinity is all zeros.
/// Invariants:
///  - hashToG1(d, dst) is RFC 9380 hash_to_curve(d, dst): expand_message_xmd(SHA-256) to
///    128 bytes, u0 and u1 = each 64-byte half mod p, MAP_FP_TO_G1 of each (SSWU, isogeny
///    and cofactor clearing; clearing is linear, so clear(Q0) + clear(Q1) equals the RFC's
///    clear(Q0 + Q1)), then G1ADD.
///  - verify() is true only for e(sig, -g2) * e(H(d), pk) == 1 with pk not at infinity;
///    a wrong length, pk at infinity, or a point off its curve or outside its subgroup
///    (the pairing precompile checks both) yields false. A failing precompile consumes
///    the gas forwarded to it, so such input may also end the call out of gas: either way
///    nothing is authorised.
///  - Every precompile result is checked for success and for its exact size: on a chain
///    without EIP-2537 a call to 0x0b..0x11 succeeds with no return data, which must
///    never be read as a point or as "pairing holds".
///  - addG2 and aggregateG2 check the curve only (G2ADD does no subgroup check); verify
///    checks the subgroup of the aggregate. Rogue keys: every aggregated key must have
///    been admitted with a proof of possession (verify under POP_DST, distinct from
///    SIG_DST) and appear once, else a key chosen as pk - sum(others) forges aggregates.
///  - negG2 maps infinity to infinity and keeps y canonical (p - 0 is 0, not p); it
///    reverts on a non-canonical y.
///  - DSTs are 1..255 bytes (RFC 9380 section 3.1; no oversize-DST hashing).
library BLS {
    /// @notice Domain separation tag of signatures (mirrors chain.BLSSigDST).
    bytes internal constant SIG_DST = "MEFS-BLS-SIG-V1_BLS12381G1_XMD:SHA-256_SSWU_RO_";
    /// @notice Domain separation tag of proofs of possession (mirrors chain.BLSPoPDST).
    bytes internal constant POP_DST = "MEFS-BLS-POP-V1_BLS12381G1_XMD:SHA-256_SSWU_RO_";

    address private constant MODEXP = address(0x05);
    address private constant G1ADD = address(0x0b);
    address private constant G2ADD = address(0x0d);
    address private constant PAIRING_CHECK = address(0x0f);
    address private constant MAP_FP_TO_G1 = address(0x10);

    uint256 internal constant G1_LEN = 128;
    uint256 internal constant G2_LEN = 256;

    /// @dev The field modulus p as two words of its 64-byte encoding (high word < 2^128).
    uint256 private constant P_HI = 0x1a0111ea397fe69a4b1ba7b6434bacd7;
    uint256 private constant P_LO = 0x64774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab;

    /// @dev Negated G2 generator, -g2, EIP-2537 encoded.
    bytes internal constant NEG_G2_GEN =
        hex"00000000000000000000000000000000024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"
        hex"0000000000000000000000000000000013e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"
        hex"000000000000000000000000000000000d1b3cc2c7027888be51d9ef691d77bcb679afda66c73f17f9ee3837a55024f78c71363275a75d75d86bab79f74782aa"
        hex"0000000000000000000000000000000013fa4d4a0ad8b1ce186ed5061789213d993923066dddaf1040bc3ff59f825c78df74f2d75467e25e0f55f8a00fa030ed";

    /// @notice Hashes a 32-byte digest to G1 (RFC 9380 hash_to_curve); reverts on a bad
    /// DST or a failing precompile.
    function hashToG1(bytes32 digest, bytes memory dst) internal view returns (bytes memory g1) {
        bytes32[4] memory b = expandMsgXmd(digest, dst);
        bytes memory pair = new bytes(2 * G1_LEN);
        mapToG1(b[0], b[1], pair, 0);
        mapToG1(b[2], b[3], pair, G1_LEN);
        bool ok;
        (ok, g1) = run(G1ADD, pair, G1_LEN);
        require(ok, "BLS: G1ADD failed");
    }

    /// @notice Whether sig is pk's signature of digest under dst (see the invariants).
    function verify(bytes memory pk, bytes32 digest, bytes memory sig, bytes memory dst)
        internal
        view
        returns (bool)
    {
        if (pk.length != G2_LEN || sig.length != G1_LEN || isZero(pk)) {
            return false;
        }
        bytes memory h = hashToG1(digest, dst);
        (bool ok, bytes memory out) = run(PAIRING_CHECK, abi.encodePacked(sig, NEG_G2_GEN, h, pk), 32);
        return ok && uint256(bytes32(out)) == 1;
    }

    /// @notice a + b in G2; reverts on a wrong length or a point off the curve.
    function addG2(bytes memory a, bytes memory b) internal view returns (bytes memory sum) {
        require(a.length == G2_LEN && b.length == G2_LEN, "BLS: G2 point must be 256 bytes");
        bool ok;
        (ok, sum) = run(G2ADD, abi.encodePacked(a, b), G2_LEN);
        require(ok, "BLS: G2ADD failed");
    }

    /// @notice The sum of pks (at least one) in G2, e.g. a quorum's aggregate key.
    function aggregateG2(bytes[] memory pks) internal view returns (bytes memory sum) {
        require(pks.length != 0, "BLS: no keys to aggregate");
        // buf = acc || next; G2ADD writes acc + next back over acc.
        sum = new bytes(2 * G2_LEN);
        for (uint256 i = 0; i < pks.length; i++) {
            bytes memory pk = pks[i];
            require(pk.length == G2_LEN, "BLS: G2 point must be 256 bytes");
            bool ok = true;
            assembly ("memory-safe") {
                let buf := add(sum, 32)
                switch i
                case 0 { mcopy(buf, add(pk, 32), 256) }
                default {
                    mcopy(add(buf, 256), add(pk, 32), 256)
                    ok := staticcall(gas(), 0x0d, buf, 512, buf, 256)
                    ok := and(ok, eq(returndatasize(), 256))
                }
            }
            require(ok, "BLS: G2ADD failed");
        }
        assembly ("memory-safe") {
            mstore(sum, 256) // shrink to the accumulator
        }
    }

    /// @notice -a in G2 (y -> p - y in both Fp2 coordinates); infinity stays infinity.
    function negG2(bytes memory a) internal pure returns (bytes memory) {
        require(a.length == G2_LEN, "BLS: G2 point must be 256 bytes");
        uint256[8] memory w = abi.decode(a, (uint256[8]));
        (w[4], w[5]) = negFp(w[4], w[5]);
        (w[6], w[7]) = negFp(w[6], w[7]);
        return abi.encode(w);
    }

    /// @notice a - b in G2.
    function subG2(bytes memory a, bytes memory b) internal view returns (bytes memory) {
        return addG2(a, negG2(b));
    }

    /// @dev RFC 9380 expand_message_xmd with SHA-256, len_in_bytes = 128 (4 blocks).
    function expandMsgXmd(bytes32 digest, bytes memory dst) private pure returns (bytes32[4] memory b) {
        require(dst.length != 0 && dst.length <= 255, "BLS: DST must be 1..255 bytes");
        bytes memory dstPrime = abi.encodePacked(dst, uint8(dst.length));
        // Z_pad (64 zero bytes) || msg || I2OSP(128, 2) || I2OSP(0, 1) || DST_prime
        bytes32 b0 = sha256(abi.encodePacked(bytes32(0), bytes32(0), digest, uint16(128), uint8(0), dstPrime));
        b[0] = sha256(abi.encodePacked(b0, uint8(1), dstPrime));
        for (uint256 i = 1; i < 4; i++) {
            b[i] = sha256(abi.encodePacked(b0 ^ b[i - 1], uint8(i + 1), dstPrime));
        }
    }

    /// @dev Writes MAP_FP_TO_G1((hi || lo) mod p) into out[offset : offset + 128].
    function mapToG1(bytes32 hi, bytes32 lo, bytes memory out, uint256 offset) private view {
        // MODEXP(base = hi || lo, exponent = 1, modulus = p) reduces the 64 bytes mod p.
        bytes memory input = abi.encodePacked(uint256(64), uint256(1), uint256(48), hi, lo, uint8(1), uint128(P_HI), P_LO);
        bytes memory fe = new bytes(64); // 16 zero bytes || 48-byte residue
        bool ok;
        assembly ("memory-safe") {
            ok := staticcall(gas(), 0x05, add(input, 32), mload(input), add(fe, 48), 48)
            ok := and(ok, eq(returndatasize(), 48))
        }
        require(ok, "BLS: MODEXP failed");
        assembly ("memory-safe") {
            ok := staticcall(gas(), 0x10, add(fe, 32), 64, add(add(out, 32), offset), 128)
            ok := and(ok, eq(returndatasize(), 128))
        }
        require(ok, "BLS: MAP_FP_TO_G1 failed");
    }

    /// @dev p - (hi, lo) for a canonical element; 0 stays 0.
    function negFp(uint256 hi, uint256 lo) private pure returns (uint256, uint256) {
        require(hi < P_HI || (hi == P_HI && lo < P_LO), "BLS: non-canonical field element");
        if (hi == 0 && lo == 0) {
            return (0, 0);
        }
        unchecked {
            uint256 borrow = lo > P_LO ? 1 : 0;
            return (P_HI - hi - borrow, P_LO - lo);
        }
    }

    /// @dev staticcall to a precompile; ok only if it succeeded with exactly outLen bytes.
    function run(address precompile, bytes memory input, uint256 outLen)
        private
        view
        returns (bool ok, bytes memory out)
    {
        out = new bytes(outLen);
        assembly ("memory-safe") {
            ok := staticcall(gas(), precompile, add(input, 32), mload(input), add(out, 32), outLen)
            ok := and(ok, eq(returndatasize(), outLen))
        }
    }

    /// @dev Whether every byte of b is zero.
    function isZero(bytes memory b) private pure returns (bool z) {
        z = true;
        for (uint256 i = 0; i < b.length; i += 32) {
            if (uint256(wordAt(b, i)) != 0) {
                return false;
            }
        }
    }

    /// @dev The 32-byte word of b at offset i (b's length is a multiple of 32 here).
    function wordAt(bytes memory b, uint256 i) private pure returns (bytes32 w) {
        assembly ("memory-safe") {
            w := mload(add(add(b, 32), i))
        }
    }
}
