// SPDX-License-Identifier: MIT
pragma solidity ^0.8.37;

import "./IERC20.sol";
import "./BLS.sol";
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
///  - Epoch e's income of a Provider, income(P, e) = sum over its orders of size * price
///    for the orders' terms covering e, is recorded exactly once (_advance walks epochs in
///    order; rate == sum of pending drops) and is charged to the Users' escrows in full
///    (settledIncome). It leaves this contract at most once: with a passing certificate as
///    Provider claim + Keeper shares, or with a failing one as refunds to the Users.
///  - Each (Provider, epoch) is certified at most once, only after the epoch ended, no more
///    than certifyWindow epochs later, only once its randomness is recorded, and only with
///    one aggregated BLS signature of >= ceil(2n/3) distinct Keepers of that epoch's set
///    (n = its size) over the EIP-712 Attestation under this contract's domain (chain id +
///    address): checked against the set's aggregate key minus the listed absentees, so the
///    cost does not grow with the signers (only with the absentees).
///  - A Keeper's income for epoch e is keeperPool[e] (the per-signer share of each of e's
///    passing certificates) minus keeperForfeit[e][k] (the shares of those it was absent
///    from), paid once: claims walk epochs upward from keeperClaimedTo[k], and only final
///    epochs (no longer certifiable) can be claimed.
///  - Randomness of epoch e is written once, by the first recordRandomness() call in a block
///    of epoch e at least randomnessDelay seconds after the epoch's start: that block's
///    prevrandao (mixed with its parent's hash), never zero. Before, epochSeed() is 0.
contract Settlement {
    uint8 internal constant ROLE_USER = 1;
    uint8 internal constant ROLE_PROVIDER = 2;

    bytes32 public constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 public constant ORDER_UPDATE_TYPEHASH = keccak256(
        "OrderUpdate(address user,address provider,uint64 size,uint256 price,uint64 end,bytes32 root,uint64 nonce)"
    );
    bytes32 public constant ATTESTATION_TYPEHASH =
        keccak256("Attestation(address provider,uint64 epoch,bool pass,bytes32 proofDigest)");
    bytes32 internal constant NAME_HASH = keccak256("MEFS Settlement");
    uint8 internal constant CERT_NONE = 0;
    uint8 internal constant CERT_PASS = 1;
    uint8 internal constant CERT_FAIL = 2;
    uint8 internal constant CERT_CLAIMED = 3;
    /// @notice providerStatus codes.
    uint8 public constant STATUS_OK = 0;
    uint8 public constant STATUS_UNREGISTERED = 1;
    uint8 public constant STATUS_LOW_PLEDGE = 2;
    uint8 public constant STATUS_FAILING = 3;

    /// @notice Deployment parameters of the verification layer.
    struct Config {
        uint16 keeperShareBps; // share of a certified epoch's income for its signers
        uint16 slashBps; // share of the pledge slashed per failed epoch
        uint64 randomnessDelay; // seconds after an epoch's start before its randomness is read
        uint64 certifyWindow; // epochs after its end during which an epoch can be certified
        uint64 failingEpochs; // a Provider failed within this many epochs is "failing"
    }

    /// @notice One term of an order: rate (size * price) for epochs [from, until).
    struct Segment {
        uint64 from;
        uint64 until;
        uint128 rate;
    }
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
    uint16 public immutable keeperShareBps;
    uint16 public immutable slashBps;
    uint64 public immutable randomnessDelay;
    uint64 public immutable certifyWindow;
    uint64 public immutable failingEpochs;

    /// @notice Recorded randomness per epoch (0 = not yet).
    mapping(uint64 => bytes32) public randomness;
    // Per Provider income walk: rate of epoch cursor, drops due at later epochs, and
    // recorded income of epochs < cursor.
    mapping(address => uint64) private cursor;
    mapping(address => uint256) private rate;
    mapping(address => mapping(uint64 => uint256)) private drop;
    mapping(address => mapping(uint64 => uint256)) private incomeAt;
    mapping(address => mapping(address => Segment[])) private segments;
    mapping(address => mapping(uint64 => uint8)) private certStatus;
    mapping(address => mapping(uint64 => uint256)) private claimable;
    /// @notice Latest failed epoch + 1 per Provider (0 = never failed).
    mapping(address => uint64) public failedUntil;
    /// @notice Per epoch, the sum over its passing certificates of each signer's share.
    mapping(uint64 => uint256) public keeperPool;
    mapping(uint64 => mapping(address => uint256)) public keeperForfeit;
    /// @notice Epochs below keeperClaimedTo[k] are paid to (or skipped by) Keeper k.
    mapping(address => uint64) public keeperClaimedTo;
    /// @notice Slashed pledges held by this contract.
    uint256 public slashedTotal;

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
    event RandomnessRecorded(uint64 indexed epoch, bytes32 value);
    event Certified(
        address indexed provider, uint64 indexed epoch, bool pass, bytes32 proofDigest, uint256 income, uint256 signers
    );
    event ProviderFailed(address indexed provider, uint64 indexed epoch, uint256 slashed, uint256 refunded);
    event Refunded(address indexed user, address indexed provider, uint64 indexed epoch, uint256 amount);
    event Claimed(address indexed provider, uint256 epochs, uint256 amount);
    event KeeperPaid(address indexed keeper, uint256 amount);

    constructor(IERC20 token_, Registry registry_, Config memory cfg) {
        require(cfg.keeperShareBps <= 10000 && cfg.slashBps <= 10000, "Settlement: share above 100%");
        require(cfg.certifyWindow > 0, "Settlement: zero certify window");
        token = token_;
        registry = registry_;
        epochSeconds = registry_.epochSeconds();
        require(cfg.randomnessDelay < epochSeconds, "Settlement: randomness delay not below the epoch length");
        genesis = registry_.genesis();
        keeperShareBps = cfg.keeperShareBps;
        slashBps = cfg.slashBps;
        randomnessDelay = cfg.randomnessDelay;
        certifyWindow = cfg.certifyWindow;
        failingEpochs = cfg.failingEpochs;
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
        _rerate(o, u, epoch);
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

    // ---- verification: randomness, certificates, payouts ----

    /// @notice Records the current epoch's randomness (permissionless; the first call at
    /// least randomnessDelay seconds into the epoch wins, later ones change nothing).
    function recordRandomness() external returns (bytes32 r) {
        uint64 e = currentEpoch();
        r = randomness[e];
        if (r != 0) {
            return r;
        }
        require(
            block.timestamp >= uint256(genesis) + uint256(e) * epochSeconds + randomnessDelay,
            "Settlement: randomness delay not over"
        );
        r = keccak256(abi.encode(block.prevrandao, blockhash(block.number - 1)));
        if (r == 0) {
            r = bytes32(uint256(1));
        }
        randomness[e] = r;
        emit RandomnessRecorded(e, r);
    }

    /// @notice The challenge seed of provider for epoch (0 while the epoch's randomness is
    /// not recorded: not challengeable yet).
    function epochSeed(address provider, uint64 epoch) external view returns (bytes32) {
        bytes32 r = randomness[epoch];
        if (r == 0) {
            return 0;
        }
        return keccak256(abi.encode(block.chainid, address(this), provider, epoch, r));
    }

    /// @notice The EIP-712 digest a Keeper signs for its attestation.
    function hashAttestation(address provider, uint64 epoch, bool pass, bytes32 proofDigest)
        public
        view
        returns (bytes32)
    {
        bytes32 structHash = keccak256(abi.encode(ATTESTATION_TYPEHASH, provider, epoch, pass, proofDigest));
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(), structHash));
    }

    /// @notice Records a Keeper quorum certificate for (provider, epoch): signature is the
    /// aggregate (128-byte G1) of the BLS signatures over hashAttestation(...) of every
    /// Keeper of the epoch's set except absentees (sorted ascending), at least ceil(2n/3)
    /// of them. Pass makes the epoch's income claimable (minus the signers' share); fail
    /// slashes, refunds the Users, pays nothing.
    function certify(
        address provider,
        uint64 epoch,
        bool pass,
        bytes32 proofDigest,
        address[] calldata absentees,
        bytes calldata signature
    ) external {
        uint64 now_ = currentEpoch();
        require(epoch < now_, "Settlement: epoch not ended");
        require(now_ - epoch <= certifyWindow, "Settlement: epoch too old to certify");
        require(randomness[epoch] != 0, "Settlement: epoch randomness not recorded");
        require(certStatus[provider][epoch] == CERT_NONE, "Settlement: epoch already certified");
        require(pass || proofDigest == bytes32(0), "Settlement: failing attestation carries a proof digest");
        require(registry.roleOf(provider) == ROLE_PROVIDER, "Settlement: not a provider");
        uint256 signers = _checkQuorum(hashAttestation(provider, epoch, pass, proofDigest), epoch, absentees, signature);
        if (pass) {
            _pass(provider, epoch, proofDigest, signers, absentees);
        } else {
            _fail(provider, epoch, signers);
        }
    }

    /// @notice Pays the caller (a Provider) the income of its passed, unclaimed epochs.
    function claim(uint64[] calldata epochs) external returns (uint256 total) {
        for (uint256 i = 0; i < epochs.length; i++) {
            uint64 e = epochs[i];
            require(certStatus[msg.sender][e] == CERT_PASS, "Settlement: epoch not passed or already claimed");
            certStatus[msg.sender][e] = CERT_CLAIMED;
            total += claimable[msg.sender][e];
            delete claimable[msg.sender][e];
        }
        if (total > 0) {
            require(token.transfer(msg.sender, total), "Settlement: transfer failed");
        }
        emit Claimed(msg.sender, epochs.length, total);
    }

    /// @notice Pays the caller (a Keeper) its certificate shares of epochs [from, to):
    /// from at or above keeperClaimedTo (epochs skipped below from are given up), to no
    /// later than the first epoch that can still be certified.
    function claimKeeperIncome(uint64 from, uint64 to) external returns (uint256 amount) {
        uint64 now_ = currentEpoch();
        require(from >= keeperClaimedTo[msg.sender] && from <= to, "Settlement: bad epoch range");
        require(now_ > certifyWindow && to <= now_ - certifyWindow, "Settlement: epochs not final");
        amount = keeperIncomeOf(msg.sender, from, to);
        keeperClaimedTo[msg.sender] = to;
        require(amount > 0, "Settlement: no keeper income");
        require(token.transfer(msg.sender, amount), "Settlement: transfer failed");
        emit KeeperPaid(msg.sender, amount);
    }

    /// @notice Keeper's unclaimed certificate shares of epochs [max(from, claimedTo), to).
    function keeperIncomeOf(address keeper, uint64 from, uint64 to) public view returns (uint256 total) {
        if (from < keeperClaimedTo[keeper]) {
            from = keeperClaimedTo[keeper];
        }
        for (uint64 e = from; e < to; e++) {
            if (keeperPool[e] > 0 && registry.isKeeperAt(keeper, e)) {
                total += keeperPool[e] - keeperForfeit[e][keeper];
            }
        }
    }

    // ---- views ----

    /// @notice Certificate state of (provider, epoch): 0 none, 1 passed, 2 failed,
    /// 3 passed and claimed; amount = claimable income (passed, unclaimed).
    function certificate(address provider, uint64 epoch) external view returns (uint8 status, uint256 amount) {
        return (certStatus[provider][epoch], claimable[provider][epoch]);
    }

    /// @notice provider's income for epoch (what its Users are charged for it), once the
    /// income walk has passed epoch; reliable for ended epochs.
    function incomeOf(address provider, uint64 epoch) external view returns (uint256) {
        if (epoch < cursor[provider]) {
            return incomeAt[provider][epoch];
        }
        // Not walked yet: replay the walk in memory.
        uint64 c = cursor[provider];
        uint256 r = rate[provider];
        while (c < epoch && r != 0) {
            c++;
            r -= drop[provider][c];
        }
        return r;
    }

    /// @notice Whether placement should give provider new chunks: STATUS_OK, or why not
    /// (unregistered/deregistered, pledge below minimum, failed within failingEpochs).
    function providerStatus(address provider)
        external
        view
        returns (uint8 status, uint64 lastFailedEpoch, uint256 pledge)
    {
        pledge = registry.pledgeOf(provider);
        uint64 fu = failedUntil[provider];
        lastFailedEpoch = fu == 0 ? type(uint64).max : fu - 1;
        if (!registry.isActive(provider, ROLE_PROVIDER)) {
            status = registry.roleOf(provider) == ROLE_PROVIDER && pledge < registry.minProviderPledge()
                ? STATUS_LOW_PLEDGE
                : STATUS_UNREGISTERED;
        } else if (fu != 0 && currentEpoch() < fu + failingEpochs) {
            status = STATUS_FAILING;
        } else {
            status = STATUS_OK;
        }
    }

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

    /// @dev Moves provider's income walk to epoch `to`, recording the income of each
    /// epoch passed. With rate 0 no drops are pending (they sum to rate), so it jumps.
    function _advance(address provider, uint64 to) internal {
        uint64 c = cursor[provider];
        if (c >= to) {
            return;
        }
        uint256 r = rate[provider];
        while (c < to) {
            if (r == 0) {
                c = to;
                break;
            }
            incomeAt[provider][c] = r;
            c++;
            r -= drop[provider][c];
        }
        cursor[provider] = c;
        rate[provider] = r;
    }

    /// @dev Replaces the order's term from epoch on in the Provider's income walk and
    /// appends the new term to the order's segments (for refunds of failed epochs).
    function _rerate(Order storage o, OrderUpdate calldata u, uint64 epoch) internal {
        _advance(u.provider, epoch);
        uint256 old = uint256(o.size) * o.price;
        if (o.nonce != 0 && o.end > epoch && old > 0) {
            rate[u.provider] -= old;
            drop[u.provider][o.end] -= old;
        }
        uint256 r = uint256(u.size) * u.price;
        require(r <= type(uint128).max, "Settlement: rate too large");
        if (u.end > epoch && r > 0) {
            rate[u.provider] += r;
            drop[u.provider][u.end] += r;
        }
        segments[u.user][u.provider].push(Segment(epoch, u.end, uint128(r)));
    }

    /// @dev The order (user, provider)'s rate in epoch e.
    function _rateAt(address user, address provider, uint64 e) internal view returns (uint256) {
        Segment[] storage segs = segments[user][provider];
        uint256 lo = 0;
        uint256 hi = segs.length;
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            if (segs[mid].from <= e) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo == 0) {
            return 0;
        }
        Segment storage s = segs[lo - 1];
        return e < s.until ? s.rate : 0;
    }

    /// @dev Checks signature over digest against epoch's aggregate Keeper key minus the
    /// absentees' keys (strictly ascending, each in the set); returns how many signed.
    function _checkQuorum(bytes32 digest, uint64 epoch, address[] calldata absentees, bytes calldata signature)
        internal
        view
        returns (uint256 signers)
    {
        uint256 n = registry.keeperCountAt(epoch);
        require(n > 0, "Settlement: no keepers in the epoch");
        require(absentees.length < n, "Settlement: below quorum");
        bytes memory apk = registry.keeperApkAt(epoch);
        address prev = address(0);
        for (uint256 i = 0; i < absentees.length; i++) {
            address a = absentees[i];
            require(a > prev, "Settlement: absentees not distinct or not ascending");
            require(registry.isKeeperAt(a, epoch), "Settlement: absentee not a keeper of the epoch");
            apk = BLS.subG2(apk, registry.blsKeyOf(a));
            prev = a;
        }
        signers = n - absentees.length;
        require(signers * 3 >= n * 2, "Settlement: below quorum");
        require(BLS.verify(apk, digest, signature, BLS.SIG_DST), "Settlement: bad aggregate signature");
    }

    function _pass(address provider, uint64 epoch, bytes32 proofDigest, uint256 signers, address[] calldata absentees)
        internal
    {
        _advance(provider, epoch + 1);
        uint256 income = incomeAt[provider][epoch];
        uint256 share = income * keeperShareBps / 10000 / signers;
        if (share > 0) {
            keeperPool[epoch] += share;
            for (uint256 i = 0; i < absentees.length; i++) {
                keeperForfeit[epoch][absentees[i]] += share;
            }
        }
        certStatus[provider][epoch] = CERT_PASS;
        claimable[provider][epoch] = income - share * signers;
        emit Certified(provider, epoch, true, proofDigest, income, signers);
    }

    function _fail(address provider, uint64 epoch, uint256 nSigners) internal {
        certStatus[provider][epoch] = CERT_FAIL;
        if (failedUntil[provider] < epoch + 1) {
            failedUntil[provider] = epoch + 1;
        }
        uint256 slashed = registry.slash(provider, registry.pledgeOf(provider) * slashBps / 10000);
        slashedTotal += slashed;
        uint256 refunded = 0;
        address[] storage users = providerUsers[provider];
        for (uint256 i = 0; i < users.length; i++) {
            uint256 r = _rateAt(users[i], provider, epoch);
            if (r > 0) {
                balanceOf[users[i]] += r;
                refunded += r;
                emit Refunded(users[i], provider, epoch, r);
            }
        }
        emit Certified(provider, epoch, false, bytes32(0), refunded, nSigners);
        emit ProviderFailed(provider, epoch, slashed, refunded);
    }

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
