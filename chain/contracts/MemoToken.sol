// SPDX-License-Identifier: MIT
pragma solidity ^0.8.37;

import "./IERC20.sol";

/// @title MemoToken
/// @notice The MEMO ERC-20 token (18 decimals) with a faucet on devnets/test chains.
/// Invariants:
///  - totalSupply == sum of all balances; tokens are created only by the constructor's
///    initial mint (to the deployer) and by faucet().
///  - faucet() works only when the token was deployed with faucetEnabled (devnets and
///    test chains); otherwise the supply is fixed at deployment.
///  - faucet() never lifts the caller's balance above FAUCET_AMOUNT + (balance before) and
///    only runs while that balance is below FAUCET_AMOUNT.
contract MemoToken is IERC20 {
    string public constant name = "MEMO";
    string public constant symbol = "MEMO";
    uint8 public constant decimals = 18;

    /// @notice Amount minted by one faucet() call: 10 MEMO.
    uint256 public constant FAUCET_AMOUNT = 10 ether;

    /// @notice Whether faucet() mints (fixed at deployment).
    bool public immutable faucetEnabled;

    uint256 public override totalSupply;
    mapping(address => uint256) public override balanceOf;
    mapping(address => mapping(address => uint256)) public override allowance;

    constructor(bool faucetEnabled_, uint256 initialSupply) {
        faucetEnabled = faucetEnabled_;
        if (initialSupply > 0) {
            totalSupply = initialSupply;
            balanceOf[msg.sender] = initialSupply;
            emit Transfer(address(0), msg.sender, initialSupply);
        }
    }

    /// @notice Mints 10 MEMO to the caller; reverts when the caller already holds >= 10 MEMO
    /// or the token has no faucet.
    function faucet() external {
        require(faucetEnabled, "MemoToken: no faucet on this deployment");
        require(balanceOf[msg.sender] < FAUCET_AMOUNT, "MemoToken: balance already >= faucet amount");
        totalSupply += FAUCET_AMOUNT;
        balanceOf[msg.sender] += FAUCET_AMOUNT;
        emit Transfer(address(0), msg.sender, FAUCET_AMOUNT);
    }

    function transfer(address to, uint256 value) external override returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external override returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external override returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            require(allowed >= value, "MemoToken: insufficient allowance");
            allowance[from][msg.sender] = allowed - value;
        }
        _transfer(from, to, value);
        return true;
    }

    function _transfer(address from, address to, uint256 value) internal {
        require(to != address(0), "MemoToken: transfer to zero address");
        uint256 bal = balanceOf[from];
        require(bal >= value, "MemoToken: insufficient balance");
        unchecked {
            balanceOf[from] = bal - value;
        }
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }
}
