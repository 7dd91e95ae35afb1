// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package registry

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// RegistryInfo is an auto generated low-level Go binding around an user-defined struct.
type RegistryInfo struct {
	Role     uint8
	Active   bool
	UnlockAt uint64
	Pledge   *big.Int
	PeerId   string
	Addrs    []string
}

// RegistryNode is an auto generated low-level Go binding around an user-defined struct.
type RegistryNode struct {
	Account common.Address
	PeerId  string
	Addrs   []string
}

// RegistryMetaData contains all meta data concerning the Registry contract.
var RegistryMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"token_\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"minProviderPledge_\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"minKeeperPledge_\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"unlockDelay_\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"peerId\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"string[]\",\"name\":\"addrs\",\"type\":\"string[]\"}],\"name\":\"AddrsUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"unlockAt\",\"type\":\"uint64\"}],\"name\":\"Deregistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"total\",\"type\":\"uint256\"}],\"name\":\"PledgeAdded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"PledgeWithdrawn\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"peerId\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"string[]\",\"name\":\"addrs\",\"type\":\"string[]\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"pledge\",\"type\":\"uint256\"}],\"name\":\"Registered\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"MAX_ADDRS\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_ADDR_LEN\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_PEER_ID_LEN\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"ROLE_KEEPER\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"ROLE_PROVIDER\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"ROLE_USER\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"addPledge\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"}],\"name\":\"count\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"deregister\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"info\",\"outputs\":[{\"components\":[{\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"},{\"internalType\":\"bool\",\"name\":\"active\",\"type\":\"bool\"},{\"internalType\":\"uint64\",\"name\":\"unlockAt\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"pledge\",\"type\":\"uint256\"},{\"internalType\":\"string\",\"name\":\"peerId\",\"type\":\"string\"},{\"internalType\":\"string[]\",\"name\":\"addrs\",\"type\":\"string[]\"}],\"internalType\":\"structRegistry.Info\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"}],\"name\":\"isActive\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"keeperCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"keepers\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"string\",\"name\":\"peerId\",\"type\":\"string\"},{\"internalType\":\"string[]\",\"name\":\"addrs\",\"type\":\"string[]\"}],\"internalType\":\"structRegistry.Node[]\",\"name\":\"\",\"type\":\"tuple[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"minKeeperPledge\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"}],\"name\":\"minPledgeOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"minProviderPledge\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"},{\"internalType\":\"uint256\",\"name\":\"offset\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"limit\",\"type\":\"uint256\"}],\"name\":\"nodes\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"string\",\"name\":\"peerId\",\"type\":\"string\"},{\"internalType\":\"string[]\",\"name\":\"addrs\",\"type\":\"string[]\"}],\"internalType\":\"structRegistry.Node[]\",\"name\":\"out\",\"type\":\"tuple[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"providerCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"providers\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"string\",\"name\":\"peerId\",\"type\":\"string\"},{\"internalType\":\"string[]\",\"name\":\"addrs\",\"type\":\"string[]\"}],\"internalType\":\"structRegistry.Node[]\",\"name\":\"\",\"type\":\"tuple[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"},{\"internalType\":\"string\",\"name\":\"peerId\",\"type\":\"string\"},{\"internalType\":\"string[]\",\"name\":\"addrs\",\"type\":\"string[]\"},{\"internalType\":\"uint256\",\"name\":\"pledge\",\"type\":\"uint256\"}],\"name\":\"register\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"token\",\"outputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unlockDelay\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"peerId\",\"type\":\"string\"},{\"internalType\":\"string[]\",\"name\":\"addrs\",\"type\":\"string[]\"}],\"name\":\"updateAddrs\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"userCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdrawPledge\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "Registry",
	Bin: "0x610100604052348015610010575f5ffd5b50604051611e99380380611e9983398101604081905261002f91610057565b6001600160a01b0390931660805260a09190915260c0526001600160401b031660e0526100b6565b5f5f5f5f6080858703121561006a575f5ffd5b84516001600160a01b0381168114610080575f5ffd5b60208601516040870151606088015192965090945092506001600160401b03811681146100ab575f5ffd5b939692955090935050565b60805160a05160c05160e051611d866101135f395f818161019f0152610f4c01525f81816102e40152610edf01525f81816103760152610eac01525f81816103dc01528181610b3c01528181610d6b01526112030152611d865ff3fe608060405234801561000f575f5ffd5b506004361061016d575f3560e01c8063895ec75f116100d9578063b653b83011610093578063bdab6bd41161006e578063bdab6bd4146103a9578063d3a10135146103bc578063f8401fe6146103cf578063fc0c546a146103d7575f5ffd5b8063b653b83014610371578063b941719e14610398578063bd6d7f4a146103a0575f5ffd5b8063895ec75f1461030e57806394fc642214610316578063951dc22c1461031e578063a3aa503514610326578063aea7246214610356578063aff5edb114610369575f5ffd5b80631af0ab1d1161012a5780631af0ab1d146102505780633a82fd5e1461026a5780634390ea701461028c57806374c83268146102af57806379b68a92146102df578063890bc79614610306575f5ffd5b80630186c245146101715780630519da321461019a57806307973ccf146101d95780630aae7a6b146102135780630d9c7368146102335780631209f7ed14610248575b5f5ffd5b61018461017f3660046115b2565b610416565b604051610191919061166a565b60405180910390f35b6101c17f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160401b039091168152602001610191565b60015f8190526020527fcc69885fda6bcc1a4ace058b4a62bf5e179ea78fd58a1ccd71c22cc9b688792f545b604051908152602001610191565b61022661022136600461171f565b61071a565b6040516101919190611738565b610246610241366004611833565b610925565b005b610246610c20565b610258600281565b60405160ff9091168152602001610191565b6102056102783660046118b9565b60ff165f9081526001602052604090205490565b61029f61029a3660046118d2565b610e38565b6040519015158152602001610191565b60025f5260016020527fd9d16d34ffb15ba3a3d852f0d403e2ce1d691fb54de27ac87cd2f993f3ec330f54610205565b6102057f000000000000000000000000000000000000000000000000000000000000000081565b610205608081565b610258600381565b610205601081565b610184610e8d565b60035f5260016020527f7dfe757ecd65cbd7922a9c0161e935dd7fdbcc0e999689c7d31633896b1fc60b54610205565b6102056103643660046118b9565b610e9c565b610246610f0a565b6102057f000000000000000000000000000000000000000000000000000000000000000081565b610258600181565b61020561010081565b6102466103b7366004611903565b6110fa565b6102466103ca36600461191a565b6112db565b61018461136b565b6103fe7f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b039091168152602001610191565b60ff83165f908152600160205260409020805460609190841061049057604080515f8082526020820190925290610487565b61047460405180606001604052805f6001600160a01b0316815260200160608152602001606081525090565b8152602001906001900390816104485790505b5091505061070e565b80545f9061049f9086906119ac565b9050838111156104ac5750825b806001600160401b038111156104c4576104c4611984565b60405190808252806020026020018201604052801561052157816020015b61050e60405180606001604052805f6001600160a01b0316815260200160608152602001606081525090565b8152602001906001900390816104e25790505b5092505f5b8181101561070a575f8361053a83896119bf565b8154811061054a5761054a6119d2565b5f9182526020808320909101546001600160a01b0316808352828252604092839020835160608101909452818452600281018054929550909392830191610590906119e6565b80601f01602080910402602001604051908101604052809291908181526020018280546105bc906119e6565b80156106075780601f106105de57610100808354040283529160200191610607565b820191905f5260205f20905b8154815290600101906020018083116105ea57829003601f168201915b5050505050815260200182600301805480602002602001604051908101604052809291908181526020015f905b828210156106dc578382905f5260205f20018054610651906119e6565b80601f016020809104026020016040519081016040528092919081815260200182805461067d906119e6565b80156106c85780601f1061069f576101008083540402835291602001916106c8565b820191905f5260205f20905b8154815290600101906020018083116106ab57829003601f168201915b505050505081526020019060010190610634565b505050508152508684815181106106f5576106f56119d2565b60209081029190910101525050600101610526565b5050505b9392505050565b905090565b61075d6040518060c001604052805f60ff1681526020015f151581526020015f6001600160401b031681526020015f815260200160608152602001606081525090565b6001600160a01b0382165f9081526020818152604091829020825160c081018452815460ff8082168352610100820416151593820193909352620100009092046001600160401b031692820192909252600182015460608201526002820180546080830191906107cc906119e6565b80601f01602080910402602001604051908101604052809291908181526020018280546107f8906119e6565b80156108435780601f1061081a57610100808354040283529160200191610843565b820191905f5260205f20905b81548152906001019060200180831161082657829003601f168201915b5050505050815260200182600301805480602002602001604051908101604052809291908181526020015f905b82821015610918578382905f5260205f2001805461088d906119e6565b80601f01602080910402602001604051908101604052809291908181526020018280546108b9906119e6565b80156109045780601f106108db57610100808354040283529160200191610904565b820191905f5260205f20905b8154815290600101906020018083116108e757829003601f168201915b505050505081526020019060010190610870565b5050509152509392505050565b600160ff87161080159061093d5750600360ff871611155b6109875760405162461bcd60e51b815260206004820152601660248201527552656769737472793a20756e6b6e6f776e20726f6c6560501b60448201526064015b60405180910390fd5b335f908152602081905260409020805460ff16156109e75760405162461bcd60e51b815260206004820152601c60248201527f52656769737472793a20616c7265616479207265676973746572656400000000604482015260640161097e565b5f1960ff881601610a45578115610a405760405162461bcd60e51b815260206004820152601e60248201527f52656769737472793a207573657273206c6f636b206e6f20706c656467650000604482015260640161097e565b610a9d565b610a4e87610e9c565b821015610a9d5760405162461bcd60e51b815260206004820152601e60248201527f52656769737472793a20706c656467652062656c6f77206d696e696d756d0000604482015260640161097e565b805461ffff191660ff88161761010017815560018101829055610ac3818787878761137a565b60ff87165f90815260016020818152604083208054855463ffffffff909116600160501b0263ffffffff60501b199091161785558054928301815583529091200180546001600160a01b031916331790558115610bca576040516323b872dd60e01b8152336004820152306024820152604481018390527f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316906323b872dd906064016020604051808303815f875af1158015610b8a573d5f5f3e3d5ffd5b505050506040513d601f19601f82011682018060405250810190610bae9190611a1e565b610bca5760405162461bcd60e51b815260040161097e90611a3d565b8660ff16336001600160a01b03167f8bfd86b27e31e19d817c76e4e7d253c156da8e057d62db289168ddba4a4d31788888888888604051610c0f959493929190611b32565b60405180910390a350505050505050565b335f908152602081905260409020805460ff1615801590610c4857508054610100900460ff16155b610c945760405162461bcd60e51b815260206004820152601a60248201527f52656769737472793a206e6f7420646572656769737465726564000000000000604482015260640161097e565b80546201000090046001600160401b0316421015610cf45760405162461bcd60e51b815260206004820152601d60248201527f52656769737472793a20706c65646765207374696c6c206c6f636b6564000000604482015260640161097e565b6001808201548254335f90815260208190526040812080546dffffffffffffffffffffffffffff19168155938401819055919260ff90911691610d3a6002830182611515565b610d47600383015f61154b565b50508115610df95760405163a9059cbb60e01b8152336004820152602481018390527f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03169063a9059cbb906044016020604051808303815f875af1158015610db9573d5f5f3e3d5ffd5b505050506040513d601f19601f82011682018060405250810190610ddd9190611a1e565b610df95760405162461bcd60e51b815260040161097e90611a3d565b60405182815260ff82169033907fffd6ac0649d420e290b092b72075ceb225b002be673412fc507e5c1d4e3b9c139060200160405180910390a3505050565b6001600160a01b0382165f9081526020819052604081208054610100900460ff168015610e6b5750805460ff8481169116145b8015610e835750610e7b83610e9c565b816001015410155b9150505b92915050565b606061071560035f5f19610416565b5f60011960ff831601610ed057507f0000000000000000000000000000000000000000000000000000000000000000919050565b60021960ff831601610f0357507f0000000000000000000000000000000000000000000000000000000000000000919050565b505f919050565b335f9081526020819052604090208054610100900460ff16610f3e5760405162461bcd60e51b815260040161097e90611b6b565b805461ff0019168155610f717f000000000000000000000000000000000000000000000000000000000000000042611ba2565b81546001600160401b0391909116620100000269ffffffffffffffff0000198216811780845560ff91821691909216175f90815260016020819052604082208054909363ffffffff600160501b9091041692918491610fd091906119ac565b81548110610fe057610fe06119d2565b905f5260205f20015f9054906101000a90046001600160a01b0316905080838363ffffffff1681548110611016576110166119d2565b5f91825260208083209190910180546001600160a01b0319166001600160a01b0394851617905591831681529081905260409020805463ffffffff60501b1916600160501b63ffffffff851602179055825483908061107757611077611bc1565b5f8281526020908190205f19908301810180546001600160a01b0319169055909101909155845463ffffffff60501b198116808755604051620100009091046001600160401b0316815260ff9091169133917f9f6f1666da39b6bba8f82e4621f91723bd0d93f92103e1d1599317a2d8b273bf910160405180910390a350505050565b335f9081526020819052604090208054610100900460ff1661112e5760405162461bcd60e51b815260040161097e90611b6b565b805460ff165f19016111825760405162461bcd60e51b815260206004820152601e60248201527f52656769737472793a207573657273206c6f636b206e6f20706c656467650000604482015260640161097e565b5f82116111c95760405162461bcd60e51b8152602060048201526015602482015274149959da5cdd1c9e4e881e995c9bc8185b5bdd5b9d605a1b604482015260640161097e565b81816001015f8282546111dc91906119bf565b90915550506040516323b872dd60e01b8152336004820152306024820152604481018390527f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316906323b872dd906064016020604051808303815f875af1158015611251573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906112759190611a1e565b6112915760405162461bcd60e51b815260040161097e90611a3d565b600181015460405133917fbec1dcf63f044e62b0acf6926dc3e076822a86582edc26adbcd6ee76b9aa7afb916112cf91868252602082015260400190565b60405180910390a25050565b335f9081526020819052604090208054610100900460ff1661130f5760405162461bcd60e51b815260040161097e90611b6b565b61131c818686868661137a565b805460405160ff9091169033907f1b335a791814465768507d68cc75f2cba328df79c2fc41d307e1527b44cc71109061135c908990899089908990611bd5565b60405180910390a35050505050565b606061071560025f5f19610416565b821580159061138a575060808311155b6113ce5760405162461bcd60e51b8152602060048201526015602482015274149959da5cdd1c9e4e88189859081c19595c881a59605a1b604482015260640161097e565b601081111561141f5760405162461bcd60e51b815260206004820152601860248201527f52656769737472793a20746f6f206d616e792061646472730000000000000000604482015260640161097e565b6002850161142e848683611c54565b5061143c600386015f61154b565b5f5b8181101561150d5761010083838381811061145b5761145b6119d2565b905060200281019061146d9190611d0e565b905011156114bd5760405162461bcd60e51b815260206004820152601760248201527f52656769737472793a206164647220746f6f206c6f6e67000000000000000000604482015260640161097e565b856003018383838181106114d3576114d36119d2565b90506020028101906114e59190611d0e565b82546001810184555f9384526020909320909201916115049183611c54565b5060010161143e565b505050505050565b508054611521906119e6565b5f825580601f10611530575050565b601f0160209004905f5260205f20906115499190611563565b565b5080545f8255905f5260205f2090611549919061157f565b5f5b8082111561157a575f81840155600101611565565b505050565b5f5b8082111561157a576115958184015f611515565b600101611581565b803560ff811681146115ad575f5ffd5b919050565b5f5f5f606084860312156115c4575f5ffd5b6115cd8461159d565b95602085013595506040909401359392505050565b5f81518084528060208401602086015e5f602082860101526020601f19601f83011685010191505092915050565b5f82825180855260208501945060208160051b830101602085015f5b8381101561165e57601f198584030188526116488383516115e2565b602098890198909350919091019060010161162c565b50909695505050505050565b5f602082016020835280845180835260408501915060408160051b8601019250602086015f5b828110156116fd57868503603f19018452815180516001600160a01b031686526020808201516060918801829052906116cb908801826115e2565b90506040820151915086810360408801526116e68183611610565b965050506020938401939190910190600101611690565b50929695505050505050565b80356001600160a01b03811681146115ad575f5ffd5b5f6020828403121561172f575f5ffd5b61070e82611709565b6020815260ff82511660208201526020820151151560408201526001600160401b036040830151166060820152606082015160808201525f608083015160c060a084015261178960e08401826115e2565b905060a0840151601f198483030160c08501526117a68282611610565b95945050505050565b5f5f83601f8401126117bf575f5ffd5b5081356001600160401b038111156117d5575f5ffd5b6020830191508360208285010111156117ec575f5ffd5b9250929050565b5f5f83601f840112611803575f5ffd5b5081356001600160401b03811115611819575f5ffd5b6020830191508360208260051b85010111156117ec575f5ffd5b5f5f5f5f5f5f60808789031215611848575f5ffd5b6118518761159d565b955060208701356001600160401b0381111561186b575f5ffd5b61187789828a016117af565b90965094505060408701356001600160401b03811115611895575f5ffd5b6118a189828a016117f3565b979a9699509497949695606090950135949350505050565b5f602082840312156118c9575f5ffd5b61070e8261159d565b5f5f604083850312156118e3575f5ffd5b6118ec83611709565b91506118fa6020840161159d565b90509250929050565b5f60208284031215611913575f5ffd5b5035919050565b5f5f5f5f6040858703121561192d575f5ffd5b84356001600160401b03811115611942575f5ffd5b61194e878288016117af565b90955093505060208501356001600160401b0381111561196c575f5ffd5b611978878288016117f3565b95989497509550505050565b634e487b7160e01b5f52604160045260245ffd5b634e487b7160e01b5f52601160045260245ffd5b81810381811115610e8757610e87611998565b80820180821115610e8757610e87611998565b634e487b7160e01b5f52603260045260245ffd5b600181811c908216806119fa57607f821691505b602082108103611a1857634e487b7160e01b5f52602260045260245ffd5b50919050565b5f60208284031215611a2e575f5ffd5b8151801515811461070e575f5ffd5b6020808252818101527f52656769737472793a20706c65646765207472616e73666572206661696c6564604082015260600190565b81835281816020850137505f828201602090810191909152601f909101601f19169091010190565b5f8383855260208501945060208460051b820101835f601e19863603015b87821015611b2557848403601f190189528235818112611ad6575f5ffd5b87016020810190356001600160401b03811115611af1575f5ffd5b803603821315611aff575f5ffd5b611b0a868284611a72565b95505050602083019250602089019850600182019150611ab8565b5091979650505050505050565b606081525f611b45606083018789611a72565b8281036020840152611b58818688611a9a565b9150508260408301529695505050505050565b60208082526018908201527f52656769737472793a206e6f7420726567697374657265640000000000000000604082015260600190565b6001600160401b038181168382160190811115610e8757610e87611998565b634e487b7160e01b5f52603160045260245ffd5b604081525f611be8604083018688611a72565b8281036020840152611bfb818587611a9a565b979650505050505050565b601f82111561157a578282111561157a57805f5260205f20601f840160051c6020851015611c3157505f5b90810190601f840160051c035f5b8181101561150d575f83820155600101611c3f565b6001600160401b03831115611c6b57611c6b611984565b611c7f83611c7983546119e6565b83611c06565b5f601f841160018114611cb0575f8515611c995750838201355b5f19600387901b1c1916600186901b178355611d07565b5f83815260208120601f198716915b82811015611cdf5786850135825560209485019460019092019101611cbf565b5086821015611cfb575f1960f88860031b161c19848701351681555b505060018560011b0183555b5050505050565b5f5f8335601e19843603018112611d23575f5ffd5b8301803591506001600160401b03821115611d3c575f5ffd5b6020019150368190038213156117ec575f5ffdfea264697066735822122009000dbc08852ddaa1f3d4fc6edc27c7d18cdc614f2997f8b12dc7b07674ef7964736f6c63430008250033",
}

// Registry is an auto generated Go binding around an Ethereum contract.
type Registry struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Registry) GetABI() abi.ABI {
	return c.abi
}

// NewRegistry creates a new instance of Registry.
func NewRegistry() *Registry {
	parsed, err := RegistryMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Registry{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Registry) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address token_, uint256 minProviderPledge_, uint256 minKeeperPledge_, uint64 unlockDelay_) returns()
func (registry *Registry) PackConstructor(token_ common.Address, minProviderPledge_ *big.Int, minKeeperPledge_ *big.Int, unlockDelay_ uint64) []byte {
	enc, err := registry.abi.Pack("", token_, minProviderPledge_, minKeeperPledge_, unlockDelay_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackMAXADDRS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x94fc6422.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_ADDRS() view returns(uint256)
func (registry *Registry) PackMAXADDRS() []byte {
	enc, err := registry.abi.Pack("MAX_ADDRS")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXADDRS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x94fc6422.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_ADDRS() view returns(uint256)
func (registry *Registry) TryPackMAXADDRS() ([]byte, error) {
	return registry.abi.Pack("MAX_ADDRS")
}

// UnpackMAXADDRS is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x94fc6422.
//
// Solidity: function MAX_ADDRS() view returns(uint256)
func (registry *Registry) UnpackMAXADDRS(data []byte) (*big.Int, error) {
	out, err := registry.abi.Unpack("MAX_ADDRS", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMAXADDRLEN is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbd6d7f4a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_ADDR_LEN() view returns(uint256)
func (registry *Registry) PackMAXADDRLEN() []byte {
	enc, err := registry.abi.Pack("MAX_ADDR_LEN")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXADDRLEN is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbd6d7f4a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_ADDR_LEN() view returns(uint256)
func (registry *Registry) TryPackMAXADDRLEN() ([]byte, error) {
	return registry.abi.Pack("MAX_ADDR_LEN")
}

// UnpackMAXADDRLEN is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbd6d7f4a.
//
// Solidity: function MAX_ADDR_LEN() view returns(uint256)
func (registry *Registry) UnpackMAXADDRLEN(data []byte) (*big.Int, error) {
	out, err := registry.abi.Unpack("MAX_ADDR_LEN", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMAXPEERIDLEN is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x890bc796.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_PEER_ID_LEN() view returns(uint256)
func (registry *Registry) PackMAXPEERIDLEN() []byte {
	enc, err := registry.abi.Pack("MAX_PEER_ID_LEN")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXPEERIDLEN is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x890bc796.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_PEER_ID_LEN() view returns(uint256)
func (registry *Registry) TryPackMAXPEERIDLEN() ([]byte, error) {
	return registry.abi.Pack("MAX_PEER_ID_LEN")
}

// UnpackMAXPEERIDLEN is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x890bc796.
//
// Solidity: function MAX_PEER_ID_LEN() view returns(uint256)
func (registry *Registry) UnpackMAXPEERIDLEN(data []byte) (*big.Int, error) {
	out, err := registry.abi.Unpack("MAX_PEER_ID_LEN", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackROLEKEEPER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x895ec75f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ROLE_KEEPER() view returns(uint8)
func (registry *Registry) PackROLEKEEPER() []byte {
	enc, err := registry.abi.Pack("ROLE_KEEPER")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackROLEKEEPER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x895ec75f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ROLE_KEEPER() view returns(uint8)
func (registry *Registry) TryPackROLEKEEPER() ([]byte, error) {
	return registry.abi.Pack("ROLE_KEEPER")
}

// UnpackROLEKEEPER is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x895ec75f.
//
// Solidity: function ROLE_KEEPER() view returns(uint8)
func (registry *Registry) UnpackROLEKEEPER(data []byte) (uint8, error) {
	out, err := registry.abi.Unpack("ROLE_KEEPER", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackROLEPROVIDER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1af0ab1d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ROLE_PROVIDER() view returns(uint8)
func (registry *Registry) PackROLEPROVIDER() []byte {
	enc, err := registry.abi.Pack("ROLE_PROVIDER")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackROLEPROVIDER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1af0ab1d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ROLE_PROVIDER() view returns(uint8)
func (registry *Registry) TryPackROLEPROVIDER() ([]byte, error) {
	return registry.abi.Pack("ROLE_PROVIDER")
}

// UnpackROLEPROVIDER is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1af0ab1d.
//
// Solidity: function ROLE_PROVIDER() view returns(uint8)
func (registry *Registry) UnpackROLEPROVIDER(data []byte) (uint8, error) {
	out, err := registry.abi.Unpack("ROLE_PROVIDER", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackROLEUSER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb941719e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ROLE_USER() view returns(uint8)
func (registry *Registry) PackROLEUSER() []byte {
	enc, err := registry.abi.Pack("ROLE_USER")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackROLEUSER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb941719e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ROLE_USER() view returns(uint8)
func (registry *Registry) TryPackROLEUSER() ([]byte, error) {
	return registry.abi.Pack("ROLE_USER")
}

// UnpackROLEUSER is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb941719e.
//
// Solidity: function ROLE_USER() view returns(uint8)
func (registry *Registry) UnpackROLEUSER(data []byte) (uint8, error) {
	out, err := registry.abi.Unpack("ROLE_USER", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackAddPledge is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbdab6bd4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function addPledge(uint256 amount) returns()
func (registry *Registry) PackAddPledge(amount *big.Int) []byte {
	enc, err := registry.abi.Pack("addPledge", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAddPledge is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbdab6bd4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function addPledge(uint256 amount) returns()
func (registry *Registry) TryPackAddPledge(amount *big.Int) ([]byte, error) {
	return registry.abi.Pack("addPledge", amount)
}

// PackCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3a82fd5e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function count(uint8 role) view returns(uint256)
func (registry *Registry) PackCount(role uint8) []byte {
	enc, err := registry.abi.Pack("count", role)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3a82fd5e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function count(uint8 role) view returns(uint256)
func (registry *Registry) TryPackCount(role uint8) ([]byte, error) {
	return registry.abi.Pack("count", role)
}

// UnpackCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3a82fd5e.
//
// Solidity: function count(uint8 role) view returns(uint256)
func (registry *Registry) UnpackCount(data []byte) (*big.Int, error) {
	out, err := registry.abi.Unpack("count", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDeregister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaff5edb1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deregister() returns()
func (registry *Registry) PackDeregister() []byte {
	enc, err := registry.abi.Pack("deregister")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeregister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaff5edb1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deregister() returns()
func (registry *Registry) TryPackDeregister() ([]byte, error) {
	return registry.abi.Pack("deregister")
}

// PackInfo is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0aae7a6b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function info(address account) view returns((uint8,bool,uint64,uint256,string,string[]))
func (registry *Registry) PackInfo(account common.Address) []byte {
	enc, err := registry.abi.Pack("info", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackInfo is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0aae7a6b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function info(address account) view returns((uint8,bool,uint64,uint256,string,string[]))
func (registry *Registry) TryPackInfo(account common.Address) ([]byte, error) {
	return registry.abi.Pack("info", account)
}

// UnpackInfo is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0aae7a6b.
//
// Solidity: function info(address account) view returns((uint8,bool,uint64,uint256,string,string[]))
func (registry *Registry) UnpackInfo(data []byte) (RegistryInfo, error) {
	out, err := registry.abi.Unpack("info", data)
	if err != nil {
		return *new(RegistryInfo), err
	}
	out0 := *abi.ConvertType(out[0], new(RegistryInfo)).(*RegistryInfo)
	return out0, nil
}

// PackIsActive is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4390ea70.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isActive(address account, uint8 role) view returns(bool)
func (registry *Registry) PackIsActive(account common.Address, role uint8) []byte {
	enc, err := registry.abi.Pack("isActive", account, role)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsActive is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4390ea70.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isActive(address account, uint8 role) view returns(bool)
func (registry *Registry) TryPackIsActive(account common.Address, role uint8) ([]byte, error) {
	return registry.abi.Pack("isActive", account, role)
}

// UnpackIsActive is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4390ea70.
//
// Solidity: function isActive(address account, uint8 role) view returns(bool)
func (registry *Registry) UnpackIsActive(data []byte) (bool, error) {
	out, err := registry.abi.Unpack("isActive", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackKeeperCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa3aa5035.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function keeperCount() view returns(uint256)
func (registry *Registry) PackKeeperCount() []byte {
	enc, err := registry.abi.Pack("keeperCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackKeeperCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa3aa5035.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function keeperCount() view returns(uint256)
func (registry *Registry) TryPackKeeperCount() ([]byte, error) {
	return registry.abi.Pack("keeperCount")
}

// UnpackKeeperCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa3aa5035.
//
// Solidity: function keeperCount() view returns(uint256)
func (registry *Registry) UnpackKeeperCount(data []byte) (*big.Int, error) {
	out, err := registry.abi.Unpack("keeperCount", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackKeepers is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x951dc22c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function keepers() view returns((address,string,string[])[])
func (registry *Registry) PackKeepers() []byte {
	enc, err := registry.abi.Pack("keepers")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackKeepers is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x951dc22c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function keepers() view returns((address,string,string[])[])
func (registry *Registry) TryPackKeepers() ([]byte, error) {
	return registry.abi.Pack("keepers")
}

// UnpackKeepers is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x951dc22c.
//
// Solidity: function keepers() view returns((address,string,string[])[])
func (registry *Registry) UnpackKeepers(data []byte) ([]RegistryNode, error) {
	out, err := registry.abi.Unpack("keepers", data)
	if err != nil {
		return *new([]RegistryNode), err
	}
	out0 := *abi.ConvertType(out[0], new([]RegistryNode)).(*[]RegistryNode)
	return out0, nil
}

// PackMinKeeperPledge is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x79b68a92.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function minKeeperPledge() view returns(uint256)
func (registry *Registry) PackMinKeeperPledge() []byte {
	enc, err := registry.abi.Pack("minKeeperPledge")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMinKeeperPledge is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x79b68a92.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function minKeeperPledge() view returns(uint256)
func (registry *Registry) TryPackMinKeeperPledge() ([]byte, error) {
	return registry.abi.Pack("minKeeperPledge")
}

// UnpackMinKeeperPledge is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x79b68a92.
//
// Solidity: function minKeeperPledge() view returns(uint256)
func (registry *Registry) UnpackMinKeeperPledge(data []byte) (*big.Int, error) {
	out, err := registry.abi.Unpack("minKeeperPledge", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMinPledgeOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaea72462.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function minPledgeOf(uint8 role) view returns(uint256)
func (registry *Registry) PackMinPledgeOf(role uint8) []byte {
	enc, err := registry.abi.Pack("minPledgeOf", role)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMinPledgeOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaea72462.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function minPledgeOf(uint8 role) view returns(uint256)
func (registry *Registry) TryPackMinPledgeOf(role uint8) ([]byte, error) {
	return registry.abi.Pack("minPledgeOf", role)
}

// UnpackMinPledgeOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xaea72462.
//
// Solidity: function minPledgeOf(uint8 role) view returns(uint256)
func (registry *Registry) UnpackMinPledgeOf(data []byte) (*big.Int, error) {
	out, err := registry.abi.Unpack("minPledgeOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMinProviderPledge is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb653b830.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function minProviderPledge() view returns(uint256)
func (registry *Registry) PackMinProviderPledge() []byte {
	enc, err := registry.abi.Pack("minProviderPledge")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMinProviderPledge is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb653b830.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function minProviderPledge() view returns(uint256)
func (registry *Registry) TryPackMinProviderPledge() ([]byte, error) {
	return registry.abi.Pack("minProviderPledge")
}

// UnpackMinProviderPledge is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb653b830.
//
// Solidity: function minProviderPledge() view returns(uint256)
func (registry *Registry) UnpackMinProviderPledge(data []byte) (*big.Int, error) {
	out, err := registry.abi.Unpack("minProviderPledge", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackNodes is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0186c245.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nodes(uint8 role, uint256 offset, uint256 limit) view returns((address,string,string[])[] out)
func (registry *Registry) PackNodes(role uint8, offset *big.Int, limit *big.Int) []byte {
	enc, err := registry.abi.Pack("nodes", role, offset, limit)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNodes is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0186c245.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nodes(uint8 role, uint256 offset, uint256 limit) view returns((address,string,string[])[] out)
func (registry *Registry) TryPackNodes(role uint8, offset *big.Int, limit *big.Int) ([]byte, error) {
	return registry.abi.Pack("nodes", role, offset, limit)
}

// UnpackNodes is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0186c245.
//
// Solidity: function nodes(uint8 role, uint256 offset, uint256 limit) view returns((address,string,string[])[] out)
func (registry *Registry) UnpackNodes(data []byte) ([]RegistryNode, error) {
	out, err := registry.abi.Unpack("nodes", data)
	if err != nil {
		return *new([]RegistryNode), err
	}
	out0 := *abi.ConvertType(out[0], new([]RegistryNode)).(*[]RegistryNode)
	return out0, nil
}

// PackProviderCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x74c83268.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function providerCount() view returns(uint256)
func (registry *Registry) PackProviderCount() []byte {
	enc, err := registry.abi.Pack("providerCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackProviderCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x74c83268.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function providerCount() view returns(uint256)
func (registry *Registry) TryPackProviderCount() ([]byte, error) {
	return registry.abi.Pack("providerCount")
}

// UnpackProviderCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x74c83268.
//
// Solidity: function providerCount() view returns(uint256)
func (registry *Registry) UnpackProviderCount(data []byte) (*big.Int, error) {
	out, err := registry.abi.Unpack("providerCount", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackProviders is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf8401fe6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function providers() view returns((address,string,string[])[])
func (registry *Registry) PackProviders() []byte {
	enc, err := registry.abi.Pack("providers")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackProviders is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf8401fe6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function providers() view returns((address,string,string[])[])
func (registry *Registry) TryPackProviders() ([]byte, error) {
	return registry.abi.Pack("providers")
}

// UnpackProviders is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf8401fe6.
//
// Solidity: function providers() view returns((address,string,string[])[])
func (registry *Registry) UnpackProviders(data []byte) ([]RegistryNode, error) {
	out, err := registry.abi.Unpack("providers", data)
	if err != nil {
		return *new([]RegistryNode), err
	}
	out0 := *abi.ConvertType(out[0], new([]RegistryNode)).(*[]RegistryNode)
	return out0, nil
}

// PackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0d9c7368.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function register(uint8 role, string peerId, string[] addrs, uint256 pledge) returns()
func (registry *Registry) PackRegister(role uint8, peerId string, addrs []string, pledge *big.Int) []byte {
	enc, err := registry.abi.Pack("register", role, peerId, addrs, pledge)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0d9c7368.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function register(uint8 role, string peerId, string[] addrs, uint256 pledge) returns()
func (registry *Registry) TryPackRegister(role uint8, peerId string, addrs []string, pledge *big.Int) ([]byte, error) {
	return registry.abi.Pack("register", role, peerId, addrs, pledge)
}

// PackToken is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfc0c546a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function token() view returns(address)
func (registry *Registry) PackToken() []byte {
	enc, err := registry.abi.Pack("token")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackToken is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfc0c546a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function token() view returns(address)
func (registry *Registry) TryPackToken() ([]byte, error) {
	return registry.abi.Pack("token")
}

// UnpackToken is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfc0c546a.
//
// Solidity: function token() view returns(address)
func (registry *Registry) UnpackToken(data []byte) (common.Address, error) {
	out, err := registry.abi.Unpack("token", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackUnlockDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0519da32.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unlockDelay() view returns(uint64)
func (registry *Registry) PackUnlockDelay() []byte {
	enc, err := registry.abi.Pack("unlockDelay")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnlockDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0519da32.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unlockDelay() view returns(uint64)
func (registry *Registry) TryPackUnlockDelay() ([]byte, error) {
	return registry.abi.Pack("unlockDelay")
}

// UnpackUnlockDelay is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0519da32.
//
// Solidity: function unlockDelay() view returns(uint64)
func (registry *Registry) UnpackUnlockDelay(data []byte) (uint64, error) {
	out, err := registry.abi.Unpack("unlockDelay", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackUpdateAddrs is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd3a10135.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function updateAddrs(string peerId, string[] addrs) returns()
func (registry *Registry) PackUpdateAddrs(peerId string, addrs []string) []byte {
	enc, err := registry.abi.Pack("updateAddrs", peerId, addrs)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUpdateAddrs is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd3a10135.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function updateAddrs(string peerId, string[] addrs) returns()
func (registry *Registry) TryPackUpdateAddrs(peerId string, addrs []string) ([]byte, error) {
	return registry.abi.Pack("updateAddrs", peerId, addrs)
}

// PackUserCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x07973ccf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function userCount() view returns(uint256)
func (registry *Registry) PackUserCount() []byte {
	enc, err := registry.abi.Pack("userCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUserCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x07973ccf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function userCount() view returns(uint256)
func (registry *Registry) TryPackUserCount() ([]byte, error) {
	return registry.abi.Pack("userCount")
}

// UnpackUserCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x07973ccf.
//
// Solidity: function userCount() view returns(uint256)
func (registry *Registry) UnpackUserCount(data []byte) (*big.Int, error) {
	out, err := registry.abi.Unpack("userCount", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackWithdrawPledge is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1209f7ed.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdrawPledge() returns()
func (registry *Registry) PackWithdrawPledge() []byte {
	enc, err := registry.abi.Pack("withdrawPledge")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdrawPledge is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1209f7ed.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdrawPledge() returns()
func (registry *Registry) TryPackWithdrawPledge() ([]byte, error) {
	return registry.abi.Pack("withdrawPledge")
}

// RegistryAddrsUpdated represents a AddrsUpdated event raised by the Registry contract.
type RegistryAddrsUpdated struct {
	Account common.Address
	Role    uint8
	PeerId  string
	Addrs   []string
	Raw     *types.Log // Blockchain specific contextual infos
}

const RegistryAddrsUpdatedEventName = "AddrsUpdated"

// ContractEventName returns the user-defined event name.
func (RegistryAddrsUpdated) ContractEventName() string {
	return RegistryAddrsUpdatedEventName
}

// UnpackAddrsUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AddrsUpdated(address indexed account, uint8 indexed role, string peerId, string[] addrs)
func (registry *Registry) UnpackAddrsUpdatedEvent(log *types.Log) (*RegistryAddrsUpdated, error) {
	event := "AddrsUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != registry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RegistryAddrsUpdated)
	if len(log.Data) > 0 {
		if err := registry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range registry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RegistryDeregistered represents a Deregistered event raised by the Registry contract.
type RegistryDeregistered struct {
	Account  common.Address
	Role     uint8
	UnlockAt uint64
	Raw      *types.Log // Blockchain specific contextual infos
}

const RegistryDeregisteredEventName = "Deregistered"

// ContractEventName returns the user-defined event name.
func (RegistryDeregistered) ContractEventName() string {
	return RegistryDeregisteredEventName
}

// UnpackDeregisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Deregistered(address indexed account, uint8 indexed role, uint64 unlockAt)
func (registry *Registry) UnpackDeregisteredEvent(log *types.Log) (*RegistryDeregistered, error) {
	event := "Deregistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != registry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RegistryDeregistered)
	if len(log.Data) > 0 {
		if err := registry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range registry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RegistryPledgeAdded represents a PledgeAdded event raised by the Registry contract.
type RegistryPledgeAdded struct {
	Account common.Address
	Amount  *big.Int
	Total   *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const RegistryPledgeAddedEventName = "PledgeAdded"

// ContractEventName returns the user-defined event name.
func (RegistryPledgeAdded) ContractEventName() string {
	return RegistryPledgeAddedEventName
}

// UnpackPledgeAddedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event PledgeAdded(address indexed account, uint256 amount, uint256 total)
func (registry *Registry) UnpackPledgeAddedEvent(log *types.Log) (*RegistryPledgeAdded, error) {
	event := "PledgeAdded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != registry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RegistryPledgeAdded)
	if len(log.Data) > 0 {
		if err := registry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range registry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RegistryPledgeWithdrawn represents a PledgeWithdrawn event raised by the Registry contract.
type RegistryPledgeWithdrawn struct {
	Account common.Address
	Role    uint8
	Amount  *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const RegistryPledgeWithdrawnEventName = "PledgeWithdrawn"

// ContractEventName returns the user-defined event name.
func (RegistryPledgeWithdrawn) ContractEventName() string {
	return RegistryPledgeWithdrawnEventName
}

// UnpackPledgeWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event PledgeWithdrawn(address indexed account, uint8 indexed role, uint256 amount)
func (registry *Registry) UnpackPledgeWithdrawnEvent(log *types.Log) (*RegistryPledgeWithdrawn, error) {
	event := "PledgeWithdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != registry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RegistryPledgeWithdrawn)
	if len(log.Data) > 0 {
		if err := registry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range registry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// RegistryRegistered represents a Registered event raised by the Registry contract.
type RegistryRegistered struct {
	Account common.Address
	Role    uint8
	PeerId  string
	Addrs   []string
	Pledge  *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const RegistryRegisteredEventName = "Registered"

// ContractEventName returns the user-defined event name.
func (RegistryRegistered) ContractEventName() string {
	return RegistryRegisteredEventName
}

// UnpackRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Registered(address indexed account, uint8 indexed role, string peerId, string[] addrs, uint256 pledge)
func (registry *Registry) UnpackRegisteredEvent(log *types.Log) (*RegistryRegistered, error) {
	event := "Registered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != registry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RegistryRegistered)
	if len(log.Data) > 0 {
		if err := registry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range registry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}
