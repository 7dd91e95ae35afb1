// SPDX-License-Identifier: MIT
pragma solidity ^0.8.37;

import "./IERC20.sol";
import "./ECDSA.sol";
import "./Registry.sol";

/// @title Settlement
/// @notice User deposits and aggregated storage orders: one order per (User, Provider)
/// pair with O(1) state, co-signed by both parties as EIP-712 typed data.
/// Invariants:
///  - token.balanceOf(this) >= sum(balanceOf) + sum(lockedOf) + sum(settled income).
///  - lockedOf[u] == sum over u's orders of order.escrow.
///  - For every order with lastSettled <= end: escrow == size * price * (end - lastSettled);
///    so settling never takes more than the escrow holds.
///  - An order update is valid only with signatures of both its User and its Provider over
///    (chain id, this contract, user, provider, size, price, end, root, nonce), and with
///    nonce == stored nonce + 1: a signed update applies at most once, on one chain, to
///    one contract.
///  - Settled income is never paid out here: payout needs a Keeper quorum certificate
///    (a later change adds that path).
contract Settlement {
    uint8 internal constant ROLE_USER = 1;
    uint8 internal constant ROLE_PROVIDER = 2;

    bytes32 public constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 public constant ORDER_UPDATE_TYPEHASH = keccak256(
        "OrderUpdate(address user,address provider,uint64 size,uint256 price,uint64 end,bytes32 root,uint64 nonce)"
    );
    bytes32 internal constant NAME_HASH = keccak256("MEFS Settlement");
    bytes32 internal constant VERSION_HASH = keccak256("1");

    /// @notice The co-signed new state of a (User, Provider) order. size in bytes, price in
    /// token wei per byte per epoch, end in epochs, root = Merkle root over the chunk
    /// commitments the Provider stores for the User.
    struct OrderUpdate {
        address user;
        address provider;
        uint64 size;
        uint256 price;
        uint64 end;
        bytes32 root;
        uint64 nonce;
    }

    struct Order {
        uint64 size;
        uint64 start;
        uint64 end;
        uint64 nonce;
        uint64 lastSettled;
        uint256 price;
        uint256 escrow;
        bytes32 root;
    }

    IERC20 public immutable token;
    Registry public immutable registry;
    uint64 public immutable genesis;
    uint64 public immutable epochSeconds;

    mapping(address => mapping(address => Order)) private orders;
    /// @notice Unlocked deposit of a User (withdrawable).
    mapping(address => uint256) public balanceOf;
    /// @notice Deposit of a User locked as escrow of its orders.
    mapping(address => uint256) public lockedOf;
    /// @notice Income moved from escrows to a Provider, not yet paid out.
    mapping(address => uint256) public settledIncome;
    // Users with an open order per Provider, for views (accruedIncome, ordersOf) only;
    // position + 1 in userIndex, 0 = not listed.
    mapping(address => address[]) private providerUsers;
    mapping(address => mapping(address => uint256)) private userIndex;

    event Deposited(address indexed user, uint256 amount, uint256 balance);
    event Withdrawn(address indexed user, uint256 amount, uint256 balance);
    event OrderUpdated(
        address indexed user,
        address indexed provider,
        uint64 size,
        uint256 price,
        uint64 start,
        uint64 end,
        bytes32 root,
        uint64 nonce,
        uint256 escrow
    );
    event IncomeSettled(address indexed provider, address indexed user, uint64 untilEpoch, uint256 amount);
    event OrderExpired(address indexed user, address indexed provider, uint256 refund);

    constructor(IERC20 token_, Registry registry_, uint64 epochSeconds_) {
        require(epochSeconds_ > 0, "Settlement: zero epoch length");
        token = token_;
        registry = registry_;
        epochSeconds = epochSeconds_;
        genesis = uint64(block.timestamp);
    }

    // ---- deposits ----

    /// @notice Moves amount tokens (approved beforehand) into the caller's deposit. Users only.
    function deposit(uint256 amount) external {
        require(registry.isActive(msg.sender, ROLE_USER), "Settlement: caller is not a registered user");
        require(amount > 0, "Settlement: zero amount");
        balanceOf[msg.sender] += amount;
        require(token.transferFrom(msg.sender, address(this), amount), "Settlement: transfer failed");
        emit Deposited(msg.sender, amount, balanceOf[msg.sender]);
    }

    /// @notice Returns amount of the caller's unlocked deposit.
    function withdraw(uint256 amount) external {
        uint256 bal = balanceOf[msg.sender];
        require(amount > 0, "Settlement: zero amount");
        require(bal >= amount, "Settlement: insufficient unlocked deposit");
        balanceOf[msg.sender] = bal - amount;
        require(token.transfer(msg.sender, amount), "Settlement: transfer failed");
        emit Withdrawn(msg.sender, amount, bal - amount);
    }

    // ---- orders ----

    /// @notice Applies an update co-signed by the order's User and Provider; anyone may
    /// submit it. Settles income accrued so far, then locks escrow for the new term.
    function updateOrder(OrderUpdate calldata u, bytes calldata userSig, bytes calldata providerSig) external {
        require(registry.isActive(u.user, ROLE_USER), "Settlement: user not registered");
        require(registry.isActive(u.provider, ROLE_PROVIDER), "Settlement: provider not registered or not pledged");
        Order storage o = orders[u.user][u.provider];
        require(u.nonce == o.nonce + 1, "Settlement: bad nonce");
        bytes32 digest = hashOrderUpdate(u);
        require(ECDSA.recover(digest, userSig) == u.user, "Settlement: bad user signature");
        require(ECDSA.recover(digest, providerSig) == u.provider, "Settlement: bad provider signature");
        uint64 epoch = currentEpoch();
        require(u.end >= epoch, "Settlement: end in the past");
        _apply(o, u, epoch);
        if (u.size == 0) {
            _unlist(u.provider, u.user);
        } else {
            _list(u.provider, u.user);
        }
        emit OrderUpdated(u.user, u.provider, u.size, u.price, o.start, u.end, u.root, u.nonce, o.escrow);
    }

    /// @notice After an order's end, settles it and returns unused escrow to the User's
    /// deposit. Callable by the order's User or Provider.
    function expire(address user, address provider) external {
        require(msg.sender == user || msg.sender == provider, "Settlement: not a party to the order");
        Order storage o = orders[user][provider];
        require(o.nonce != 0, "Settlement: no order");
        uint64 epoch = currentEpoch();
        require(epoch >= o.end, "Settlement: order not ended");
        require(o.size != 0 || o.escrow != 0, "Settlement: order already closed");
        _settle(o, user, provider, epoch);
        uint256 refund = o.escrow;
        o.escrow = 0;
        o.size = 0;
        lockedOf[user] -= refund;
        balanceOf[user] += refund;
        _unlist(provider, user);
        emit OrderExpired(user, provider, refund);
    }

    // Income payout is deliberately absent: a Provider's settled income is paid only
    // against a Keeper quorum certificate (>= 2/3 of registered Keepers attesting the
    // epochs' proofs), which a later change adds. Until then income only accrues.

    // ---- views ----

    function currentEpoch() public view returns (uint64) {
        return (uint64(block.timestamp) - genesis) / epochSeconds;
    }

    function domainSeparator() public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    /// @notice The EIP-712 digest both parties sign.
    function hashOrderUpdate(OrderUpdate calldata u) public view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(ORDER_UPDATE_TYPEHASH, u.user, u.provider, u.size, u.price, u.end, u.root, u.nonce)
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(), structHash));
    }

    function order(address user, address provider) external view returns (Order memory) {
        return orders[user][provider];
    }

    /// @notice Settled income plus income accrued on open orders but not yet settled.
    function accruedIncome(address provider) external view returns (uint256 total) {
        total = settledIncome[provider];
        uint64 epoch = currentEpoch();
        address[] storage users = providerUsers[provider];
        for (uint256 i = 0; i < users.length; i++) {
            total += _pending(orders[users[i]][provider], epoch);
        }
    }

    /// @notice Users with an open order at provider (what a Keeper audits).
    function ordersOf(address provider) external view returns (address[] memory) {
        return providerUsers[provider];
    }

    // ---- internals ----

    /// @dev Settles o up to epoch, releases its remaining escrow, then locks the escrow of
    /// the new term from the User's deposit and stores the new state.
    function _apply(Order storage o, OrderUpdate calldata u, uint64 epoch) internal {
        uint256 refund = 0;
        if (o.nonce != 0) {
            _settle(o, u.user, u.provider, epoch);
            refund = o.escrow;
        }
        if (o.nonce == 0 || o.lastSettled >= o.end) {
            o.start = epoch; // a new term
        }
        uint256 escrow = uint256(u.size) * u.price * (u.end - epoch);
        uint256 free = balanceOf[u.user] + refund;
        require(free >= escrow, "Settlement: insufficient deposit");
        balanceOf[u.user] = free - escrow;
        lockedOf[u.user] = lockedOf[u.user] - refund + escrow;
        o.size = u.size;
        o.price = u.price;
        o.end = u.end;
        o.root = u.root;
        o.nonce = u.nonce;
        o.lastSettled = epoch;
        o.escrow = escrow;
    }

    function _pending(Order storage o, uint64 epoch) internal view returns (uint256) {
        uint64 until = epoch < o.end ? epoch : o.end;
        if (until <= o.lastSettled) {
            return 0;
        }
        return uint256(o.size) * o.price * (until - o.lastSettled);
    }

    function _settle(Order storage o, address user, address provider, uint64 epoch) internal {
        uint256 amount = _pending(o, epoch);
        uint64 until = epoch < o.end ? epoch : o.end;
        if (until > o.lastSettled) {
            o.lastSettled = until;
        }
        if (amount == 0) {
            return;
        }
        o.escrow -= amount;
        lockedOf[user] -= amount;
        settledIncome[provider] += amount;
        emit IncomeSettled(provider, user, until, amount);
    }

    function _list(address provider, address user) internal {
        if (userIndex[provider][user] == 0) {
            providerUsers[provider].push(user);
            userIndex[provider][user] = providerUsers[provider].length;
        }
    }

    function _unlist(address provider, address user) internal {
        uint256 idx = userIndex[provider][user];
        if (idx == 0) {
            return;
        }
        address[] storage users = providerUsers[provider];
        address last = users[users.length - 1];
        users[idx - 1] = last;
        userIndex[provider][last] = idx;
        users.pop();
        userIndex[provider][user] = 0;
    }
}
