// SPDX-License-Identifier: MIT
pragma solidity ^0.8.37;

import {BLS} from "../BLS.sol";

/// @title BLSCheck
/// @notice Test-only wrapper exposing the BLS library to chain/bls_test.go; never
/// deployed outside tests. Compiled by compile-blscheck.sh into chain/testdata/blscheck/.
contract BLSCheck {
    function sigDST() external pure returns (bytes memory) {
        return BLS.SIG_DST;
    }

    function popDST() external pure returns (bytes memory) {
        return BLS.POP_DST;
    }

    function negG2Generator() external pure returns (bytes memory) {
        return BLS.NEG_G2_GEN;
    }

    function hashToG1(bytes32 digest, bytes calldata dst) external view returns (bytes memory) {
        return BLS.hashToG1(digest, dst);
    }

    function verify(bytes calldata pk, bytes32 digest, bytes calldata sig, bytes calldata dst)
        external
        view
        returns (bool)
    {
        return BLS.verify(pk, digest, sig, dst);
    }

    /// @notice Aggregates pks, then verifies sig against the aggregate.
    function verifyAggregate(bytes[] calldata pks, bytes32 digest, bytes calldata sig, bytes calldata dst)
        external
        view
        returns (bool)
    {
        return BLS.verify(BLS.aggregateG2(pks), digest, sig, dst);
    }

    /// @notice verifyAggregate with the gas it used inside this call (no calldata or
    /// transaction overhead).
    function measureVerifyAggregate(bytes[] calldata pks, bytes32 digest, bytes calldata sig, bytes calldata dst)
        external
        view
        returns (bool ok, uint256 gasUsed)
    {
        uint256 start = gasleft();
        ok = BLS.verify(BLS.aggregateG2(pks), digest, sig, dst);
        gasUsed = start - gasleft();
    }

    function addG2(bytes calldata a, bytes calldata b) external view returns (bytes memory) {
        return BLS.addG2(a, b);
    }

    function aggregateG2(bytes[] calldata pks) external view returns (bytes memory) {
        return BLS.aggregateG2(pks);
    }

    function negG2(bytes calldata a) external pure returns (bytes memory) {
        return BLS.negG2(a);
    }

    function subG2(bytes calldata a, bytes calldata b) external view returns (bytes memory) {
        return BLS.subG2(a, b);
    }
}
