// SPDX-License-Identifier: MIT
pragma solidity ^0.8.37;

/// @title ECDSA
/// @notice Minimal secp256k1 signature recovery for EIP-712 digests.
/// Invariants:
///  - recover() returns address(0) for any malformed signature (wrong length, bad v,
///    high s); callers compare the result with a non-zero expected signer, so a
///    malformed signature never authorises anything.
///  - Only low-s signatures are accepted (EIP-2), so a signature cannot be mutated into
///    a second valid one.
library ECDSA {
    /// @dev secp256k1n / 2.
    uint256 internal constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    /// @notice Recovers the signer of digest from a 65-byte r || s || v signature
    /// (v in {27, 28} or {0, 1}); returns address(0) when the signature is invalid.
    function recover(bytes32 digest, bytes calldata sig) internal pure returns (address) {
        if (sig.length != 65) {
            return address(0);
        }
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly {
            r := calldataload(sig.offset)
            s := calldataload(add(sig.offset, 32))
            v := byte(0, calldataload(add(sig.offset, 64)))
        }
        if (v < 27) {
            v += 27;
        }
        if (v != 27 && v != 28) {
            return address(0);
        }
        if (uint256(s) > HALF_ORDER) {
            return address(0);
        }
        return ecrecover(digest, v, r, s);
    }
}
