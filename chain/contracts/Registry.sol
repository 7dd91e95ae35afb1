// SPDX-License-Identifier: MIT
pragma solidity ^0.8.37;

import "./IERC20.sol";

/// @title Registry
/// @notice MEFS role registry with pledges: Users, Providers and Keepers announce their
/// libp2p peer id and multiaddrs here, so nodes discover each other from the chain.
/// Invariants:
///  - An account holds at most one role at a time; registering again reverts until the
///    account has deregistered and withdrawn its pledge.
///  - A Provider or Keeper registers with a pledge >= the per-role minimum fixed at
///    deploy; Users lock no pledge. Pledges sit in this contract's token balance:
///    token.balanceOf(this) >= sum of all pledges.
///  - The active list of a role holds exactly the active accounts of that role, each
///    once; accounts[a].index is a's position in that list while active.
///  - A pledge leaves only through withdrawPledge(), no earlier than unlockDelay seconds
///    after deregister().
contract Registry {
    uint8 public constant ROLE_USER = 1;
    uint8 public constant ROLE_PROVIDER = 2;
    uint8 public constant ROLE_KEEPER = 3;

    uint256 public constant MAX_PEER_ID_LEN = 128;
    uint256 public constant MAX_ADDRS = 16;
    uint256 public constant MAX_ADDR_LEN = 256;

    /// @notice One active node as listed by providers() / keepers() / nodes().
    struct Node {
        address account;
        string peerId;
        string[] addrs;
    }

    /// @notice Everything the registry knows about one account.
    struct Info {
        uint8 role;
        bool active;
        uint64 unlockAt;
        uint256 pledge;
        string peerId;
        string[] addrs;
    }

    struct Account {
        uint8 role;
        bool active;
        uint64 unlockAt;
        uint32 index;
        uint256 pledge;
        string peerId;
        string[] addrs;
    }

    IERC20 public immutable token;
    uint256 public immutable minProviderPledge;
    uint256 public immutable minKeeperPledge;
    uint64 public immutable unlockDelay;

    mapping(address => Account) private accounts;
    mapping(uint8 => address[]) private activeList;

    event Registered(address indexed account, uint8 indexed role, string peerId, string[] addrs, uint256 pledge);
    event AddrsUpdated(address indexed account, uint8 indexed role, string peerId, string[] addrs);
    event PledgeAdded(address indexed account, uint256 amount, uint256 total);
    event Deregistered(address indexed account, uint8 indexed role, uint64 unlockAt);
    event PledgeWithdrawn(address indexed account, uint8 indexed role, uint256 amount);

    constructor(IERC20 token_, uint256 minProviderPledge_, uint256 minKeeperPledge_, uint64 unlockDelay_) {
        token = token_;
        minProviderPledge = minProviderPledge_;
        minKeeperPledge = minKeeperPledge_;
        unlockDelay = unlockDelay_;
    }

    /// @notice Registers the caller in role (1 User, 2 Provider, 3 Keeper). Providers and
    /// Keepers lock pledge (>= the role's minimum) via token.transferFrom, so they must
    /// approve this contract first; Users must pass pledge 0.
    function register(uint8 role, string calldata peerId, string[] calldata addrs, uint256 pledge) external {
        require(role >= ROLE_USER && role <= ROLE_KEEPER, "Registry: unknown role");
        Account storage a = accounts[msg.sender];
        require(a.role == 0, "Registry: already registered");
        if (role == ROLE_USER) {
            require(pledge == 0, "Registry: users lock no pledge");
        } else {
            require(pledge >= minPledgeOf(role), "Registry: pledge below minimum");
        }
        a.role = role;
        a.active = true;
        a.pledge = pledge;
        _setAddrs(a, peerId, addrs);
        a.index = uint32(activeList[role].length);
        activeList[role].push(msg.sender);
        if (pledge > 0) {
            require(token.transferFrom(msg.sender, address(this), pledge), "Registry: pledge transfer failed");
        }
        emit Registered(msg.sender, role, peerId, addrs, pledge);
    }

    /// @notice Replaces the caller's peer id and addresses.
    function updateAddrs(string calldata peerId, string[] calldata addrs) external {
        Account storage a = accounts[msg.sender];
        require(a.active, "Registry: not registered");
        _setAddrs(a, peerId, addrs);
        emit AddrsUpdated(msg.sender, a.role, peerId, addrs);
    }

    /// @notice Adds amount to the caller's pledge (Providers and Keepers).
    function addPledge(uint256 amount) external {
        Account storage a = accounts[msg.sender];
        require(a.active, "Registry: not registered");
        require(a.role != ROLE_USER, "Registry: users lock no pledge");
        require(amount > 0, "Registry: zero amount");
        a.pledge += amount;
        require(token.transferFrom(msg.sender, address(this), amount), "Registry: pledge transfer failed");
        emit PledgeAdded(msg.sender, amount, a.pledge);
    }

    /// @notice Leaves the active list; the pledge unlocks unlockDelay seconds from now.
    function deregister() external {
        Account storage a = accounts[msg.sender];
        require(a.active, "Registry: not registered");
        a.active = false;
        a.unlockAt = uint64(block.timestamp) + unlockDelay;
        address[] storage list = activeList[a.role];
        uint32 i = a.index;
        address last = list[list.length - 1];
        list[i] = last;
        accounts[last].index = i;
        list.pop();
        a.index = 0;
        emit Deregistered(msg.sender, a.role, a.unlockAt);
    }

    /// @notice After the unlock delay, returns the pledge and forgets the account, which
    /// may then register again.
    function withdrawPledge() external {
        Account storage a = accounts[msg.sender];
        require(a.role != 0 && !a.active, "Registry: not deregistered");
        require(block.timestamp >= a.unlockAt, "Registry: pledge still locked");
        uint256 amount = a.pledge;
        uint8 role = a.role;
        delete accounts[msg.sender];
        if (amount > 0) {
            require(token.transfer(msg.sender, amount), "Registry: pledge transfer failed");
        }
        emit PledgeWithdrawn(msg.sender, role, amount);
    }

    // ---- views ----

    /// @notice The minimum pledge of role (0 for Users).
    function minPledgeOf(uint8 role) public view returns (uint256) {
        if (role == ROLE_PROVIDER) {
            return minProviderPledge;
        }
        if (role == ROLE_KEEPER) {
            return minKeeperPledge;
        }
        return 0;
    }

    /// @notice True when account is active in role with at least the role's minimum pledge.
    function isActive(address account, uint8 role) external view returns (bool) {
        Account storage a = accounts[account];
        return a.active && a.role == role && a.pledge >= minPledgeOf(role);
    }

    function info(address account) external view returns (Info memory) {
        Account storage a = accounts[account];
        return Info(a.role, a.active, a.unlockAt, a.pledge, a.peerId, a.addrs);
    }

    function count(uint8 role) public view returns (uint256) {
        return activeList[role].length;
    }

    function userCount() external view returns (uint256) {
        return count(ROLE_USER);
    }

    function providerCount() external view returns (uint256) {
        return count(ROLE_PROVIDER);
    }

    function keeperCount() external view returns (uint256) {
        return count(ROLE_KEEPER);
    }

    /// @notice Active nodes of role, from offset, at most limit of them (for paging).
    function nodes(uint8 role, uint256 offset, uint256 limit) public view returns (Node[] memory out) {
        address[] storage list = activeList[role];
        if (offset >= list.length) {
            return new Node[](0);
        }
        uint256 n = list.length - offset;
        if (n > limit) {
            n = limit;
        }
        out = new Node[](n);
        for (uint256 i = 0; i < n; i++) {
            address acct = list[offset + i];
            Account storage a = accounts[acct];
            out[i] = Node(acct, a.peerId, a.addrs);
        }
    }

    function providers() external view returns (Node[] memory) {
        return nodes(ROLE_PROVIDER, 0, type(uint256).max);
    }

    function keepers() external view returns (Node[] memory) {
        return nodes(ROLE_KEEPER, 0, type(uint256).max);
    }

    function _setAddrs(Account storage a, string calldata peerId, string[] calldata addrs) internal {
        require(bytes(peerId).length > 0 && bytes(peerId).length <= MAX_PEER_ID_LEN, "Registry: bad peer id");
        require(addrs.length <= MAX_ADDRS, "Registry: too many addrs");
        a.peerId = peerId;
        delete a.addrs;
        for (uint256 i = 0; i < addrs.length; i++) {
            require(bytes(addrs[i]).length <= MAX_ADDR_LEN, "Registry: addr too long");
            a.addrs.push(addrs[i]);
        }
    }
}
