// SPDX-License-Identifier: MIT
pragma solidity ^0.8.37;

import "./BLS.sol";
import "./ECDSA.sol";
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
///    after deregister(), or through slash() by the bound Settlement contract.
///  - A peer id belongs to the first account that registered it, forever: no other
///    account can register or switch to it (peerOwner).
///  - Every peer id stored was proven: it is the libp2p id (identity multihash of the
///    protobuf secp256k1 public key) of a key on the curve that signed the EIP-712
///    PeerBinding(account, peerId) under this contract's domain (chain id and address),
///    so no account can claim a node key it does not hold, and a binding signed for one
///    chain, registry or account is refused by every other.
///  - metaRoots[a] is whatever account a last wrote with setMetaRoot (at most
///    MAX_META_ROOT bytes): a User's pointer to its latest metadata snapshot; only a
///    itself can change it.
///  - Every Keeper holds a BLS12-381 key (G2), admitted once with a proof of possession
///    (a BLS signature under BLS.POP_DST over hashBLSPossession(account, key)), fixed for
///    the account forever and owned by one account only. keeperApkAt(e) is the sum of the
///    keys of epoch e's Keeper set (kept per checkpoint, like the count), so a certificate
///    is checked against one aggregate key whatever the set's size.
///  - keeperAccounts lists every account that ever registered as a Keeper, once, in order;
///    keeperSetAt(e) is its members in epoch e's set (also those gone since).
///  - Keeper sets are fixed per epoch: a Keeper registering in epoch x is in the set of
///    epochs >= x + 1, one deregistering in epoch y is in no set after y. keeperCountAt(e)
///    and isKeeperAt(k, e) answer for any past or current epoch, also after a withdrawal.
contract Registry {
    uint8 public constant ROLE_USER = 1;
    uint8 public constant ROLE_PROVIDER = 2;
    uint8 public constant ROLE_KEEPER = 3;

    /// @dev secp256k1 field prime.
    uint256 internal constant SECP_P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F;
    bytes32 public constant BLS_POSSESSION_TYPEHASH = keccak256("BLSPossession(address account,bytes key)");
    bytes32 public constant PEER_BINDING_TYPEHASH = keccak256("PeerBinding(address account,bytes peerId)");
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    uint256 public constant MAX_ADDRS = 16;
    uint256 public constant MAX_ADDR_LEN = 256;
    uint256 public constant MAX_META_ROOT = 4096;

    /// @notice One active node as listed by providers() / keepers() / nodes().
    struct Node {
        address account;
        bytes peerId;
        string[] addrs;
    }

    /// @notice Everything the registry knows about one account.
    struct Info {
        uint8 role;
        bool active;
        uint64 unlockAt;
        uint256 pledge;
        bytes peerId;
        string[] addrs;
    }

    struct Account {
        uint8 role;
        bool active;
        uint64 unlockAt;
        uint32 index;
        uint256 pledge;
        bytes peerId;
        string[] addrs;
    }

    /// @notice [from, until) epochs of one Keeper registration (until = max while active).
    struct Term {
        uint64 from;
        uint64 until;
    }

    /// @notice The Keeper count from epoch `epoch` on (until the next checkpoint).
    struct Checkpoint {
        uint64 epoch;
        uint64 count;
    }

    IERC20 public immutable token;
    uint256 public immutable minProviderPledge;
    uint256 public immutable minKeeperPledge;
    uint64 public immutable unlockDelay;
    uint64 public immutable genesis;
    uint64 public immutable epochSeconds;
    address public immutable deployer;
    /// @notice The Settlement contract allowed to slash (set once by bindSettlement).
    address public settlement;

    mapping(address => Account) private accounts;
    mapping(uint8 => address[]) private activeList;
    mapping(bytes32 => address) public peerOwner;
    mapping(address => Term[]) private keeperTerms;
    Checkpoint[] private keeperCounts;
    mapping(address => bytes) private metaRoots;
    mapping(address => bytes) private blsKeys;
    mapping(bytes32 => address) public blsKeyOwner;
    address[] private keeperAccounts;
    /// @dev keeperApks[i] is the aggregate BLS key of keeperCounts[i]'s set.
    bytes[] private keeperApks;

    event Registered(address indexed account, uint8 indexed role, bytes peerId, string[] addrs, uint256 pledge);
    event AddrsUpdated(address indexed account, uint8 indexed role, bytes peerId, string[] addrs);
    event PledgeAdded(address indexed account, uint256 amount, uint256 total);
    event Deregistered(address indexed account, uint8 indexed role, uint64 unlockAt);
    event PledgeWithdrawn(address indexed account, uint8 indexed role, uint256 amount);
    event Slashed(address indexed account, uint256 amount, uint256 remaining);
    event MetaRootSet(address indexed account, bytes32 digest, uint256 length);

    constructor(
        IERC20 token_,
        uint256 minProviderPledge_,
        uint256 minKeeperPledge_,
        uint64 unlockDelay_,
        uint64 epochSeconds_
    ) {
        require(epochSeconds_ > 0, "Registry: zero epoch length");
        token = token_;
        minProviderPledge = minProviderPledge_;
        minKeeperPledge = minKeeperPledge_;
        unlockDelay = unlockDelay_;
        epochSeconds = epochSeconds_;
        genesis = uint64(block.timestamp);
        deployer = msg.sender;
    }

    /// @notice Records the caller's metadata root: an opaque pointer (the User's encoding)
    /// to its latest metadata snapshot on Providers, read back by metaRootOf on recovery.
    function setMetaRoot(bytes calldata root) external {
        require(root.length <= MAX_META_ROOT, "Registry: meta root too long");
        metaRoots[msg.sender] = root;
        emit MetaRootSet(msg.sender, keccak256(root), root.length);
    }

    /// @notice The metadata root account last recorded (empty if none).
    function metaRootOf(address account) external view returns (bytes memory) {
        return metaRoots[account];
    }

    /// @notice Binds the Settlement contract that may slash pledges; once, by the deployer.
    function bindSettlement(address settlement_) external {
        require(msg.sender == deployer, "Registry: not the deployer");
        require(settlement == address(0), "Registry: settlement already bound");
        require(settlement_ != address(0), "Registry: zero settlement");
        settlement = settlement_;
    }

    /// @notice Moves amount of account's pledge to the Settlement contract (a failed
    /// epoch); at most the whole pledge.
    function slash(address account, uint256 amount) external returns (uint256 taken) {
        require(msg.sender == settlement && settlement != address(0), "Registry: only settlement slashes");
        Account storage a = accounts[account];
        taken = amount < a.pledge ? amount : a.pledge;
        if (taken == 0) {
            return 0;
        }
        a.pledge -= taken;
        require(token.transfer(settlement, taken), "Registry: slash transfer failed");
        emit Slashed(account, taken, a.pledge);
    }

    /// @notice Registers the caller in role (1 User, 2 Provider, 3 Keeper) under the libp2p
    /// node key peerKey (64-byte uncompressed secp256k1 public key x || y), proven by
    /// peerSig: the node key's signature over hashPeerBinding(caller, peerIdOf(peerKey)).
    /// Providers and Keepers lock pledge (>= the role's minimum) via token.transferFrom,
    /// so they must approve this contract first; Users must pass pledge 0.
    function register(
        uint8 role,
        bytes calldata peerKey,
        bytes calldata peerSig,
        string[] calldata addrs,
        uint256 pledge
    ) external {
        require(role != ROLE_KEEPER, "Registry: keepers register with registerKeeper");
        _register(role, peerKey, peerSig, addrs, pledge);
    }

    /// @notice Registers the caller as a Keeper, as register does, with its BLS key:
    /// bls = 256-byte G2 public key || 128-byte proof of possession (a BLS signature
    /// under BLS.POP_DST over hashBLSPossession(caller, key)). An account's BLS key is
    /// fixed: registering again must present the same key.
    function registerKeeper(
        bytes calldata peerKey,
        bytes calldata peerSig,
        string[] calldata addrs,
        uint256 pledge,
        bytes calldata bls
    ) external {
        _setBLSKey(bls);
        _register(ROLE_KEEPER, peerKey, peerSig, addrs, pledge);
    }

    function _register(
        uint8 role,
        bytes calldata peerKey,
        bytes calldata peerSig,
        string[] calldata addrs,
        uint256 pledge
    ) internal {
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
        _setAddrs(a, peerKey, peerSig, addrs);
        a.index = uint32(activeList[role].length);
        activeList[role].push(msg.sender);
        if (role == ROLE_KEEPER) {
            uint64 next = currentEpoch() + 1;
            keeperTerms[msg.sender].push(Term(next, type(uint64).max));
            _addKeeperCount(next, true);
        }
        if (pledge > 0) {
            require(token.transferFrom(msg.sender, address(this), pledge), "Registry: pledge transfer failed");
        }
        emit Registered(msg.sender, role, a.peerId, addrs, pledge);
    }

    /// @dev Admits bls (key || proof of possession) as the caller's BLS key, or checks it
    /// is the key the caller already has.
    function _setBLSKey(bytes calldata bls) internal {
        require(bls.length == BLS.G2_LEN + BLS.G1_LEN, "Registry: bad BLS key");
        bytes memory key = bls[0:BLS.G2_LEN];
        bytes storage have = blsKeys[msg.sender];
        if (have.length > 0) {
            require(keccak256(have) == keccak256(key), "Registry: BLS key is fixed per account");
            return;
        }
        bytes32 h = keccak256(key);
        require(blsKeyOwner[h] == address(0), "Registry: BLS key registered by another account");
        require(
            BLS.verify(key, hashBLSPossession(msg.sender, key), bls[BLS.G2_LEN:], BLS.POP_DST),
            "Registry: BLS key not proven"
        );
        blsKeyOwner[h] = msg.sender;
        blsKeys[msg.sender] = key;
        keeperAccounts.push(msg.sender);
    }

    /// @notice Replaces the caller's node key (proven as for register) and addresses.
    function updateAddrs(bytes calldata peerKey, bytes calldata peerSig, string[] calldata addrs) external {
        Account storage a = accounts[msg.sender];
        require(a.active, "Registry: not registered");
        _setAddrs(a, peerKey, peerSig, addrs);
        emit AddrsUpdated(msg.sender, a.role, a.peerId, addrs);
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
        if (a.role == ROLE_KEEPER) {
            uint64 next = currentEpoch() + 1;
            Term[] storage terms = keeperTerms[msg.sender];
            Term storage t = terms[terms.length - 1];
            if (t.from >= next) {
                terms.pop(); // never served an epoch
            } else {
                t.until = next;
            }
            _addKeeperCount(next, false);
        }
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

    /// @notice The epoch of the latest block (the same clock as Settlement's).
    function currentEpoch() public view returns (uint64) {
        return (uint64(block.timestamp) - genesis) / epochSeconds;
    }

    /// @notice How many Keepers are in the set of epoch.
    function keeperCountAt(uint64 epoch) public view returns (uint256) {
        uint256 i = _checkpointAt(epoch);
        return i == 0 ? 0 : keeperCounts[i - 1].count;
    }

    /// @dev 1 + the index of the last checkpoint at or before epoch (0: none).
    function _checkpointAt(uint64 epoch) internal view returns (uint256) {
        uint256 lo = 0;
        uint256 hi = keeperCounts.length;
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            if (keeperCounts[mid].epoch <= epoch) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /// @notice Whether account is in the Keeper set of epoch.
    function isKeeperAt(address account, uint64 epoch) public view returns (bool) {
        Term[] storage terms = keeperTerms[account];
        for (uint256 i = terms.length; i > 0; i--) {
            Term storage t = terms[i - 1];
            if (t.from <= epoch) {
                return epoch < t.until;
            }
        }
        return false;
    }

    /// @notice The Keepers of epoch's set that are still registered (their peer ids and
    /// addresses, for challenging and gossip); its size may be below keeperCountAt(epoch)
    /// when members have left since.
    function keepersAt(uint64 epoch) external view returns (Node[] memory out) {
        address[] storage list = activeList[ROLE_KEEPER];
        uint256 n = 0;
        for (uint256 i = 0; i < list.length; i++) {
            if (isKeeperAt(list[i], epoch)) {
                n++;
            }
        }
        out = new Node[](n);
        n = 0;
        for (uint256 i = 0; i < list.length; i++) {
            if (isKeeperAt(list[i], epoch)) {
                Account storage a = accounts[list[i]];
                out[n++] = Node(list[i], a.peerId, a.addrs);
            }
        }
    }

    /// @notice The libp2p peer id (binary) of a 64-byte uncompressed secp256k1 public key
    /// x || y: the identity multihash of its protobuf PublicKey{Secp256k1, compressed key}.
    function peerIdOf(bytes calldata peerKey) public pure returns (bytes memory) {
        require(peerKey.length == 64, "Registry: bad peer key");
        bytes1 prefix = (uint8(peerKey[63]) & 1) == 1 ? bytes1(0x03) : bytes1(0x02);
        return abi.encodePacked(hex"002508021221", prefix, peerKey[0:32]);
    }

    /// @notice The EIP-712 domain separator of this registry ("MEFS Registry", "1").
    function domainSeparator() public view returns (bytes32) {
        return keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("MEFS Registry"), keccak256("1"), block.chainid, address(this))
        );
    }

    /// @notice The EIP-712 digest a Keeper's BLS key signs (under BLS.POP_DST) to prove
    /// possession of key for account.
    function hashBLSPossession(address account, bytes memory key) public view returns (bytes32) {
        bytes32 structHash = keccak256(abi.encode(BLS_POSSESSION_TYPEHASH, account, keccak256(key)));
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(), structHash));
    }

    /// @notice account's BLS key (empty if it never registered as a Keeper).
    function blsKeyOf(address account) external view returns (bytes memory) {
        return blsKeys[account];
    }

    /// @notice The sum of the BLS keys of epoch's Keeper set (infinity, all zeros, when
    /// the set is empty).
    function keeperApkAt(uint64 epoch) external view returns (bytes memory) {
        uint256 i = _checkpointAt(epoch);
        return i == 0 ? new bytes(BLS.G2_LEN) : keeperApks[i - 1];
    }

    /// @notice Every member of epoch's Keeper set, also those that have left since, in
    /// registration order (a certificate lists its absentees from this set).
    function keeperSetAt(uint64 epoch) external view returns (address[] memory out) {
        uint256 n = 0;
        out = new address[](keeperAccounts.length);
        for (uint256 i = 0; i < keeperAccounts.length; i++) {
            if (isKeeperAt(keeperAccounts[i], epoch)) {
                out[n++] = keeperAccounts[i];
            }
        }
        assembly {
            mstore(out, n)
        }
    }

    /// @notice The EIP-712 digest a node key signs to bind peerId to account.
    function hashPeerBinding(address account, bytes memory peerId) public view returns (bytes32) {
        bytes32 structHash = keccak256(abi.encode(PEER_BINDING_TYPEHASH, account, keccak256(peerId)));
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(), structHash));
    }

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

    function roleOf(address account) external view returns (uint8) {
        return accounts[account].role;
    }

    function pledgeOf(address account) external view returns (uint256) {
        return accounts[account].pledge;
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

    /// @dev Adds (up) or removes the caller, a Keeper, to the sets from epoch on: count
    /// and aggregate BLS key.
    function _addKeeperCount(uint64 epoch, bool up) internal {
        uint256 n = keeperCounts.length;
        uint64 c = n == 0 ? 0 : keeperCounts[n - 1].count;
        bytes memory apk = n == 0 ? new bytes(BLS.G2_LEN) : keeperApks[n - 1];
        bytes memory key = blsKeys[msg.sender];
        c = up ? c + 1 : c - 1;
        apk = c == 0 ? new bytes(BLS.G2_LEN) : (up ? BLS.addG2(apk, key) : BLS.subG2(apk, key));
        if (n > 0 && keeperCounts[n - 1].epoch == epoch) {
            keeperCounts[n - 1].count = c;
            keeperApks[n - 1] = apk;
        } else {
            keeperCounts.push(Checkpoint(epoch, c));
            keeperApks.push(apk);
        }
    }

    function _setAddrs(Account storage a, bytes calldata peerKey, bytes calldata peerSig, string[] calldata addrs)
        internal
    {
        bytes memory id = peerIdOf(peerKey);
        require(_onCurve(peerKey), "Registry: peer key not on secp256k1");
        address signer = ECDSA.recover(hashPeerBinding(msg.sender, id), peerSig);
        require(
            signer != address(0) && signer == address(uint160(uint256(keccak256(peerKey)))),
            "Registry: peer key not proven"
        );
        bytes32 h = keccak256(id);
        address owner = peerOwner[h];
        require(owner == address(0) || owner == msg.sender, "Registry: peer id registered by another account");
        peerOwner[h] = msg.sender;
        require(addrs.length <= MAX_ADDRS, "Registry: too many addrs");
        a.peerId = id;
        delete a.addrs;
        for (uint256 i = 0; i < addrs.length; i++) {
            require(bytes(addrs[i]).length <= MAX_ADDR_LEN, "Registry: addr too long");
            a.addrs.push(addrs[i]);
        }
    }

    /// @dev Whether the 64-byte x || y is a point of y^2 = x^3 + 7 over the field.
    function _onCurve(bytes calldata key) internal pure returns (bool) {
        uint256 x = uint256(bytes32(key[0:32]));
        uint256 y = uint256(bytes32(key[32:64]));
        if (x >= SECP_P || y >= SECP_P) {
            return false;
        }
        return mulmod(y, y, SECP_P) == addmod(mulmod(mulmod(x, x, SECP_P), x, SECP_P), 7, SECP_P);
    }
}
