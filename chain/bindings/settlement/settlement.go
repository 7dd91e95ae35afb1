// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package settlement

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

// SettlementOrder is an auto generated low-level Go binding around an user-defined struct.
type SettlementOrder struct {
	Size        uint64
	Start       uint64
	End         uint64
	Nonce       uint64
	LastSettled uint64
	Price       *big.Int
	Escrow      *big.Int
	Root        [32]byte
}

// SettlementOrderUpdate is an auto generated low-level Go binding around an user-defined struct.
type SettlementOrderUpdate struct {
	User     common.Address
	Provider common.Address
	Size     uint64
	Price    *big.Int
	End      uint64
	Root     [32]byte
	Nonce    uint64
}

// SettlementMetaData contains all meta data concerning the Settlement contract.
var SettlementMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"token_\",\"type\":\"address\"},{\"internalType\":\"contractRegistry\",\"name\":\"registry_\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"epochSeconds_\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"}],\"name\":\"Deposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"untilEpoch\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"IncomeSettled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"refund\",\"type\":\"uint256\"}],\"name\":\"OrderExpired\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"size\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"start\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"escrow\",\"type\":\"uint256\"}],\"name\":\"OrderUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"DOMAIN_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"ORDER_UPDATE_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"accruedIncome\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"total\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"currentEpoch\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"domainSeparator\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"epochSeconds\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"expire\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"genesis\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"size\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"}],\"internalType\":\"structSettlement.OrderUpdate\",\"name\":\"u\",\"type\":\"tuple\"}],\"name\":\"hashOrderUpdate\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"lockedOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"order\",\"outputs\":[{\"components\":[{\"internalType\":\"uint64\",\"name\":\"size\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"start\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"lastSettled\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"escrow\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"}],\"internalType\":\"structSettlement.Order\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"ordersOf\",\"outputs\":[{\"internalType\":\"address[]\",\"name\":\"\",\"type\":\"address[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"registry\",\"outputs\":[{\"internalType\":\"contractRegistry\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"settledIncome\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"token\",\"outputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"user\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"size\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"price\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"nonce\",\"type\":\"uint64\"}],\"internalType\":\"structSettlement.OrderUpdate\",\"name\":\"u\",\"type\":\"tuple\"},{\"internalType\":\"bytes\",\"name\":\"userSig\",\"type\":\"bytes\"},{\"internalType\":\"bytes\",\"name\":\"providerSig\",\"type\":\"bytes\"}],\"name\":\"updateOrder\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "Settlement",
	Bin: "0x610100604052348015610010575f5ffd5b506040516121e43803806121e483398101604081905261002f916100cd565b5f816001600160401b03161161008b5760405162461bcd60e51b815260206004820152601d60248201527f536574746c656d656e743a207a65726f2065706f6368206c656e677468000000604482015260640160405180910390fd5b6001600160a01b03928316608052911660a0526001600160401b0390811660e052421660c052610122565b6001600160a01b03811681146100ca575f5ffd5b50565b5f5f5f606084860312156100df575f5ffd5b83516100ea816100b6565b60208501519093506100fb816100b6565b60408501519092506001600160401b0381168114610117575f5ffd5b809150509250925092565b60805160a05160c05160e05161205e6101865f395f81816103250152610e1501525f81816102b00152610e3901525f818161025201528181610706015281816107fb0152610e8901525f818161034c0152818161046e0152610fe8015261205e5ff3fe608060405234801561000f575f5ffd5b506004361061011c575f3560e01c806376671808116100a9578063cf80a0181161006e578063cf80a018146102e5578063f698da25146102f8578063faae3a6c14610300578063fb5bb0c314610320578063fc0c546a14610347575f5ffd5b8063766718081461022d5780637b1039991461024d578063a5f1e2821461028c578063a7f0b3de146102ab578063b6b55f25146102d2575f5ffd5b80634cf37b00116100ef5780634cf37b00146101b65780635f4ad0f9146101c957806363e83e31146101dc57806370a08231146101fb5780637231d6b71461021a575f5ffd5b806320606b70146101205780632e1a7d4d1461015a578063326931a91461016f57806344496d291461018f575b5f5ffd5b6101477f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f81565b6040519081526020015b60405180910390f35b61016d610168366004611c89565b61036e565b005b61018261017d366004611cbb565b61056d565b6040516101519190611cec565b6101477f488c647aaf845dcb150e05b45dd620bb42680c107fbe004157bb11d353665aa781565b6101476101c4366004611d81565b61064b565b61016d6101d7366004611df4565b6106fc565b6101476101ea366004611d81565b60036020525f908152604090205481565b610147610209366004611d81565b60016020525f908152604090205481565b610147610228366004611e75565b610ce4565b610235610e12565b6040516001600160401b039091168152602001610151565b6102747f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b039091168152602001610151565b61014761029a366004611d81565b60026020525f908152604090205481565b6102357f000000000000000000000000000000000000000000000000000000000000000081565b61016d6102e0366004611c89565b610e6d565b61016d6102f3366004611cbb565b6110f0565b610147611399565b61031361030e366004611d81565b61143d565b6040516101519190611e8f565b6102357f000000000000000000000000000000000000000000000000000000000000000081565b6102747f000000000000000000000000000000000000000000000000000000000000000081565b335f90815260016020526040902054816103c95760405162461bcd60e51b815260206004820152601760248201527614d95d1d1b195b595b9d0e881e995c9bc8185b5bdd5b9d604a1b60448201526064015b60405180910390fd5b8181101561042b5760405162461bcd60e51b815260206004820152602960248201527f536574746c656d656e743a20696e73756666696369656e7420756e6c6f636b65604482015268190819195c1bdcda5d60ba1b60648201526084016103c0565b6104358282611eee565b335f818152600160205260409081902092909255905163a9059cbb60e01b81526004810191909152602481018390526001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000169063a9059cbb906044016020604051808303815f875af11580156104b4573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906104d89190611f01565b6105245760405162461bcd60e51b815260206004820152601b60248201527f536574746c656d656e743a207472616e73666572206661696c6564000000000060448201526064016103c0565b337f92ccf450a286a957af52509bc1c9939d1a6a481783e142e41e2499f0bb66ebc6836105518185611eee565b6040805192835260208301919091520160405180910390a25050565b60408051610100810182525f80825260208201819052918101829052606081018290526080810182905260a0810182905260c0810182905260e0810191909152506001600160a01b038083165f9081526020818152604080832093851683529281529082902082516101008101845281546001600160401b038082168352600160401b8204811694830194909452600160801b8104841694820194909452600160c01b9093048216606084015260018101549091166080830152600281015460a0830152600381015460c08301526004015460e08201525b92915050565b6001600160a01b0381165f908152600360205260408120549061066c610e12565b6001600160a01b0384165f9081526004602052604081209192505b81548110156106f4576106e05f5f8484815481106106a7576106a7611f20565b5f9182526020808320909101546001600160a01b0390811684528382019490945260409283018220938a168252929092529020846114b0565b6106ea9085611f34565b9350600101610687565b505050919050565b6001600160a01b037f000000000000000000000000000000000000000000000000000000000000000016634390ea706107386020880188611d81565b6040516001600160e01b031960e084901b1681526001600160a01b03909116600482015260016024820152604401602060405180830381865afa158015610781573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906107a59190611f01565b6107f15760405162461bcd60e51b815260206004820152601f60248201527f536574746c656d656e743a2075736572206e6f7420726567697374657265640060448201526064016103c0565b6001600160a01b037f000000000000000000000000000000000000000000000000000000000000000016634390ea706108306040880160208901611d81565b6040516001600160e01b031960e084901b1681526001600160a01b03909116600482015260026024820152604401602060405180830381865afa158015610879573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061089d9190611f01565b6109045760405162461bcd60e51b815260206004820152603260248201527f536574746c656d656e743a2070726f7669646572206e6f7420726567697374656044820152711c9959081bdc881b9bdd081c1b195919d95960721b60648201526084016103c0565b5f80806109146020890189611d81565b6001600160a01b03166001600160a01b031681526020019081526020015f205f8760200160208101906109479190611d81565b6001600160a01b0316815260208101919091526040015f20805490915061097f90600160c01b90046001600160401b03166001611f47565b6001600160401b031661099860e0880160c08901611f66565b6001600160401b0316146109e65760405162461bcd60e51b8152602060048201526015602482015274536574746c656d656e743a20626164206e6f6e636560581b60448201526064016103c0565b5f6109f087610ce4565b90506109ff6020880188611d81565b6001600160a01b0316610a13828888611555565b6001600160a01b031614610a695760405162461bcd60e51b815260206004820152601e60248201527f536574746c656d656e743a206261642075736572207369676e6174757265000060448201526064016103c0565b610a796040880160208901611d81565b6001600160a01b0316610a8d828686611555565b6001600160a01b031614610aee5760405162461bcd60e51b815260206004820152602260248201527f536574746c656d656e743a206261642070726f7669646572207369676e617475604482015261726560f01b60648201526084016103c0565b5f610af7610e12565b90506001600160401b038116610b1360a08a0160808b01611f66565b6001600160401b03161015610b6a5760405162461bcd60e51b815260206004820152601b60248201527f536574746c656d656e743a20656e6420696e207468652070617374000000000060448201526064016103c0565b610b7583898361164c565b610b856060890160408a01611f66565b6001600160401b03165f03610bbe57610bb9610ba760408a0160208b01611d81565b610bb460208b018b611d81565b61196c565b610be3565b610be3610bd160408a0160208b01611d81565b610bde60208b018b611d81565b611aac565b610bf36040890160208a01611d81565b6001600160a01b0316610c0960208a018a611d81565b6001600160a01b03167f0e0054bfea3153394f69b910358aae48341970439b10823628c917a6cad60d3f610c4360608c0160408d01611f66565b8b60600135875f0160089054906101000a90046001600160401b03168d6080016020810190610c729190611f66565b8e60a001358f60c0016020810190610c8a9190611f66565b60038c0154604080516001600160401b0398891681526020810197909752948716948601949094529185166060850152608084015290921660a082015260c081019190915260e00160405180910390a35050505050505050565b5f807f488c647aaf845dcb150e05b45dd620bb42680c107fbe004157bb11d353665aa7610d146020850185611d81565b610d246040860160208701611d81565b610d346060870160408801611f66565b6060870135610d4960a0890160808a01611f66565b60a0890135610d5e60e08b0160c08c01611f66565b6040805160208101999099526001600160a01b03978816908901529590941660608701526001600160401b03928316608087015260a0860191909152811660c085015260e08401919091521661010082015261012001604051602081830303815290604052805190602001209050610dd4611399565b60405161190160f01b602082015260228101919091526042810182905260620160405160208183030381529060405280519060200120915050919050565b5f7f0000000000000000000000000000000000000000000000000000000000000000610e5e7f000000000000000000000000000000000000000000000000000000000000000042611f8c565b610e689190611fab565b905090565b6040516304390ea760e41b8152336004820152600160248201527f00000000000000000000000000000000000000000000000000000000000000006001600160a01b031690634390ea7090604401602060405180830381865afa158015610ed6573d5f5f3e3d5ffd5b505050506040513d601f19601f82011682018060405250810190610efa9190611f01565b610f5a5760405162461bcd60e51b815260206004820152602b60248201527f536574746c656d656e743a2063616c6c6572206973206e6f742061207265676960448201526a39ba32b932b2103ab9b2b960a91b60648201526084016103c0565b5f8111610fa35760405162461bcd60e51b815260206004820152601760248201527614d95d1d1b195b595b9d0e881e995c9bc8185b5bdd5b9d604a1b60448201526064016103c0565b335f9081526001602052604081208054839290610fc1908490611f34565b90915550506040516323b872dd60e01b8152336004820152306024820152604481018290527f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316906323b872dd906064016020604051808303815f875af1158015611036573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061105a9190611f01565b6110a65760405162461bcd60e51b815260206004820152601b60248201527f536574746c656d656e743a207472616e73666572206661696c6564000000000060448201526064016103c0565b335f81815260016020908152604091829020548251858152918201527f73a19dd210f1a7f902193214c0ee91dd35ee5b4d920cba8d519eca65a7b488ca910160405180910390a250565b336001600160a01b038316148061110f5750336001600160a01b038216145b6111675760405162461bcd60e51b8152602060048201526024808201527f536574746c656d656e743a206e6f74206120706172747920746f20746865206f604482015263393232b960e11b60648201526084016103c0565b6001600160a01b038281165f90815260208181526040808320938516835292905290812080549091600160c01b9091046001600160401b031690036111e55760405162461bcd60e51b815260206004820152601460248201527329b2ba3a3632b6b2b73a1d1037379037b93232b960611b60448201526064016103c0565b5f6111ee610e12565b82549091506001600160401b03600160801b909104811690821610156112565760405162461bcd60e51b815260206004820152601b60248201527f536574746c656d656e743a206f72646572206e6f7420656e646564000000000060448201526064016103c0565b81546001600160401b03161515806112715750600382015415155b6112bd5760405162461bcd60e51b815260206004820181905260248201527f536574746c656d656e743a206f7264657220616c726561647920636c6f73656460448201526064016103c0565b6112c982858584611b30565b6003820180545f91829055835467ffffffffffffffff191684556001600160a01b0386168252600260205260408220805491928392611309908490611eee565b90915550506001600160a01b0385165f9081526001602052604081208054839290611335908490611f34565b909155506113459050848661196c565b836001600160a01b0316856001600160a01b03167fd25206a8bea7a13334bf2b15c37225d5d7a3307708ce21ef9c6bb671b6b160748360405161138a91815260200190565b60405180910390a35050505050565b604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201527f4dcd3bd28b59c90dcadcee9e33090b4e27a0241dc42497e60bbb6437b66bef8b918101919091527fc89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc660608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b6001600160a01b0381165f908152600460209081526040918290208054835181840281018401909452808452606093928301828280156114a457602002820191905f5260205f20905b81546001600160a01b03168152600190910190602001808311611486575b50505050509050919050565b81545f9081906001600160401b03600160801b9091048116908416106114e7578354600160801b90046001600160401b03166114e9565b825b60018501549091506001600160401b039081169082161161150d575f915050610645565b6001840154611525906001600160401b031682611f8c565b600285015485546001600160401b0392831692611543929116611fe4565b61154d9190611fe4565b949350505050565b5f6041821461156557505f611645565b8235602084013560408501355f1a601b81101561158a57611587601b82611ffb565b90505b8060ff16601b141580156115a257508060ff16601c14155b156115b2575f9350505050611645565b7f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a08211156115e5575f9350505050611645565b604080515f81526020810180835289905260ff831691810191909152606081018490526080810183905260019060a0016020604051602081039080840390855afa158015611635573d5f5f3e3d5ffd5b5050506020604051035193505050505b9392505050565b82545f90600160c01b90046001600160401b0316156116935761168c846116766020860186611d81565b6116866040870160208801611d81565b85611b30565b5060038301545b8354600160c01b90046001600160401b031615806116ca5750835460018501546001600160401b03600160801b9092048216911610155b156116f85783546fffffffffffffffff00000000000000001916600160401b6001600160401b038416021784555b5f8261170a60a0860160808701611f66565b6117149190611f8c565b6001600160401b0316606085018035906117319060408801611f66565b6001600160401b03166117449190611fe4565b61174e9190611fe4565b90505f826001826117626020890189611d81565b6001600160a01b03166001600160a01b031681526020019081526020015f205461178c9190611f34565b9050818110156117de5760405162461bcd60e51b815260206004820181905260248201527f536574746c656d656e743a20696e73756666696369656e74206465706f73697460448201526064016103c0565b6117e88282611eee565b60015f6117f86020890189611d81565b6001600160a01b03166001600160a01b031681526020019081526020015f2081905550818360025f885f0160208101906118329190611d81565b6001600160a01b03166001600160a01b031681526020019081526020015f205461185c9190611eee565b6118669190611f34565b60025f6118766020890189611d81565b6001600160a01b03166001600160a01b031681526020019081526020015f20819055508460400160208101906118ac9190611f66565b865467ffffffffffffffff19166001600160401b0391909116178655606085013560028701556118e260a0860160808701611f66565b86546001600160401b0391909116600160801b0267ffffffffffffffff60801b1990911617865560a0850135600487015561192360e0860160c08701611f66565b86546001600160c01b0316600160c01b6001600160401b039283160217875560018701805467ffffffffffffffff19169590911694909417909355600390940193909355505050565b6001600160a01b038083165f908152600560209081526040808320938516835292905290812054908190036119a057505050565b6001600160a01b0383165f908152600460205260408120805490919082906119ca90600190611eee565b815481106119da576119da611f20565b5f918252602090912001546001600160a01b0316905080826119fd600186611eee565b81548110611a0d57611a0d611f20565b5f91825260208083209190910180546001600160a01b0319166001600160a01b0394851617905587831682526005815260408083209385168352929052208390558154829080611a5f57611a5f612014565b5f828152602080822083015f1990810180546001600160a01b03191690559092019092556001600160a01b0396871682526005815260408083209690971682529490945250505090812055565b6001600160a01b038083165f9081526005602090815260408083209385168352929052908120549003611b2c576001600160a01b038281165f81815260046020908152604080832080546001810182558185528385200180546001600160a01b031916968816968717905593835292546005825283832094835293905220555b5050565b5f611b3b85836114b0565b85549091505f906001600160401b03600160801b909104811690841610611b73578554600160801b90046001600160401b0316611b75565b825b60018701549091506001600160401b039081169082161115611bb05760018601805467ffffffffffffffff19166001600160401b0383161790555b815f03611bbe575050611c83565b81866003015f828254611bd19190611eee565b90915550506001600160a01b0385165f9081526002602052604081208054849290611bfd908490611eee565b90915550506001600160a01b0384165f9081526003602052604081208054849290611c29908490611f34565b9091555050604080516001600160401b0383168152602081018490526001600160a01b0380881692908716917f6078796689cbb997bbaee072009cda154aa941d49a200ed668038345272c4f59910160405180910390a350505b50505050565b5f60208284031215611c99575f5ffd5b5035919050565b80356001600160a01b0381168114611cb6575f5ffd5b919050565b5f5f60408385031215611ccc575f5ffd5b611cd583611ca0565b9150611ce360208401611ca0565b90509250929050565b5f610100820190506001600160401b0383511682526001600160401b0360208401511660208301526001600160401b0360408401511660408301526060830151611d4160608401826001600160401b03169052565b506080830151611d5c60808401826001600160401b03169052565b5060a083015160a083015260c083015160c083015260e083015160e083015292915050565b5f60208284031215611d91575f5ffd5b61164582611ca0565b5f60e08284031215611daa575f5ffd5b50919050565b5f5f83601f840112611dc0575f5ffd5b5081356001600160401b03811115611dd6575f5ffd5b602083019150836020828501011115611ded575f5ffd5b9250929050565b5f5f5f5f5f6101208688031215611e09575f5ffd5b611e138787611d9a565b945060e08601356001600160401b03811115611e2d575f5ffd5b611e3988828901611db0565b9095509350506101008601356001600160401b03811115611e58575f5ffd5b611e6488828901611db0565b969995985093965092949392505050565b5f60e08284031215611e85575f5ffd5b6116458383611d9a565b602080825282518282018190525f918401906040840190835b81811015611ecf5783516001600160a01b0316835260209384019390920191600101611ea8565b509095945050505050565b634e487b7160e01b5f52601160045260245ffd5b8181038181111561064557610645611eda565b5f60208284031215611f11575f5ffd5b81518015158114611645575f5ffd5b634e487b7160e01b5f52603260045260245ffd5b8082018082111561064557610645611eda565b6001600160401b03818116838216019081111561064557610645611eda565b5f60208284031215611f76575f5ffd5b81356001600160401b0381168114611645575f5ffd5b6001600160401b03828116828216039081111561064557610645611eda565b5f6001600160401b03831680611fcf57634e487b7160e01b5f52601260045260245ffd5b806001600160401b0384160491505092915050565b808202811582820484141761064557610645611eda565b60ff818116838216019081111561064557610645611eda565b634e487b7160e01b5f52603160045260245ffdfea2646970667358221220f3532955c9012cbaa7a73bb4ba32f8dc9a4638b6a2b2bb8d6fdbc0971754c0df64736f6c63430008250033",
}

// Settlement is an auto generated Go binding around an Ethereum contract.
type Settlement struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Settlement) GetABI() abi.ABI {
	return c.abi
}

// NewSettlement creates a new instance of Settlement.
func NewSettlement() *Settlement {
	parsed, err := SettlementMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Settlement{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Settlement) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address token_, address registry_, uint64 epochSeconds_) returns()
func (settlement *Settlement) PackConstructor(token_ common.Address, registry_ common.Address, epochSeconds_ uint64) []byte {
	enc, err := settlement.abi.Pack("", token_, registry_, epochSeconds_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackDOMAINTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x20606b70.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function DOMAIN_TYPEHASH() view returns(bytes32)
func (settlement *Settlement) PackDOMAINTYPEHASH() []byte {
	enc, err := settlement.abi.Pack("DOMAIN_TYPEHASH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDOMAINTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x20606b70.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function DOMAIN_TYPEHASH() view returns(bytes32)
func (settlement *Settlement) TryPackDOMAINTYPEHASH() ([]byte, error) {
	return settlement.abi.Pack("DOMAIN_TYPEHASH")
}

// UnpackDOMAINTYPEHASH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x20606b70.
//
// Solidity: function DOMAIN_TYPEHASH() view returns(bytes32)
func (settlement *Settlement) UnpackDOMAINTYPEHASH(data []byte) ([32]byte, error) {
	out, err := settlement.abi.Unpack("DOMAIN_TYPEHASH", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackORDERUPDATETYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x44496d29.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ORDER_UPDATE_TYPEHASH() view returns(bytes32)
func (settlement *Settlement) PackORDERUPDATETYPEHASH() []byte {
	enc, err := settlement.abi.Pack("ORDER_UPDATE_TYPEHASH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackORDERUPDATETYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x44496d29.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ORDER_UPDATE_TYPEHASH() view returns(bytes32)
func (settlement *Settlement) TryPackORDERUPDATETYPEHASH() ([]byte, error) {
	return settlement.abi.Pack("ORDER_UPDATE_TYPEHASH")
}

// UnpackORDERUPDATETYPEHASH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x44496d29.
//
// Solidity: function ORDER_UPDATE_TYPEHASH() view returns(bytes32)
func (settlement *Settlement) UnpackORDERUPDATETYPEHASH(data []byte) ([32]byte, error) {
	out, err := settlement.abi.Unpack("ORDER_UPDATE_TYPEHASH", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackAccruedIncome is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4cf37b00.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function accruedIncome(address provider) view returns(uint256 total)
func (settlement *Settlement) PackAccruedIncome(provider common.Address) []byte {
	enc, err := settlement.abi.Pack("accruedIncome", provider)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAccruedIncome is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4cf37b00.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function accruedIncome(address provider) view returns(uint256 total)
func (settlement *Settlement) TryPackAccruedIncome(provider common.Address) ([]byte, error) {
	return settlement.abi.Pack("accruedIncome", provider)
}

// UnpackAccruedIncome is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4cf37b00.
//
// Solidity: function accruedIncome(address provider) view returns(uint256 total)
func (settlement *Settlement) UnpackAccruedIncome(data []byte) (*big.Int, error) {
	out, err := settlement.abi.Unpack("accruedIncome", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (settlement *Settlement) PackBalanceOf(arg0 common.Address) []byte {
	enc, err := settlement.abi.Pack("balanceOf", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (settlement *Settlement) TryPackBalanceOf(arg0 common.Address) ([]byte, error) {
	return settlement.abi.Pack("balanceOf", arg0)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (settlement *Settlement) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := settlement.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCurrentEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x76671808.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function currentEpoch() view returns(uint64)
func (settlement *Settlement) PackCurrentEpoch() []byte {
	enc, err := settlement.abi.Pack("currentEpoch")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCurrentEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x76671808.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function currentEpoch() view returns(uint64)
func (settlement *Settlement) TryPackCurrentEpoch() ([]byte, error) {
	return settlement.abi.Pack("currentEpoch")
}

// UnpackCurrentEpoch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x76671808.
//
// Solidity: function currentEpoch() view returns(uint64)
func (settlement *Settlement) UnpackCurrentEpoch(data []byte) (uint64, error) {
	out, err := settlement.abi.Unpack("currentEpoch", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb6b55f25.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deposit(uint256 amount) returns()
func (settlement *Settlement) PackDeposit(amount *big.Int) []byte {
	enc, err := settlement.abi.Pack("deposit", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb6b55f25.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deposit(uint256 amount) returns()
func (settlement *Settlement) TryPackDeposit(amount *big.Int) ([]byte, error) {
	return settlement.abi.Pack("deposit", amount)
}

// PackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (settlement *Settlement) PackDomainSeparator() []byte {
	enc, err := settlement.abi.Pack("domainSeparator")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (settlement *Settlement) TryPackDomainSeparator() ([]byte, error) {
	return settlement.abi.Pack("domainSeparator")
}

// UnpackDomainSeparator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf698da25.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (settlement *Settlement) UnpackDomainSeparator(data []byte) ([32]byte, error) {
	out, err := settlement.abi.Unpack("domainSeparator", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackEpochSeconds is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfb5bb0c3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function epochSeconds() view returns(uint64)
func (settlement *Settlement) PackEpochSeconds() []byte {
	enc, err := settlement.abi.Pack("epochSeconds")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackEpochSeconds is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfb5bb0c3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function epochSeconds() view returns(uint64)
func (settlement *Settlement) TryPackEpochSeconds() ([]byte, error) {
	return settlement.abi.Pack("epochSeconds")
}

// UnpackEpochSeconds is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfb5bb0c3.
//
// Solidity: function epochSeconds() view returns(uint64)
func (settlement *Settlement) UnpackEpochSeconds(data []byte) (uint64, error) {
	out, err := settlement.abi.Unpack("epochSeconds", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackExpire is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcf80a018.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function expire(address user, address provider) returns()
func (settlement *Settlement) PackExpire(user common.Address, provider common.Address) []byte {
	enc, err := settlement.abi.Pack("expire", user, provider)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExpire is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcf80a018.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function expire(address user, address provider) returns()
func (settlement *Settlement) TryPackExpire(user common.Address, provider common.Address) ([]byte, error) {
	return settlement.abi.Pack("expire", user, provider)
}

// PackGenesis is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa7f0b3de.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function genesis() view returns(uint64)
func (settlement *Settlement) PackGenesis() []byte {
	enc, err := settlement.abi.Pack("genesis")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGenesis is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa7f0b3de.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function genesis() view returns(uint64)
func (settlement *Settlement) TryPackGenesis() ([]byte, error) {
	return settlement.abi.Pack("genesis")
}

// UnpackGenesis is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa7f0b3de.
//
// Solidity: function genesis() view returns(uint64)
func (settlement *Settlement) UnpackGenesis(data []byte) (uint64, error) {
	out, err := settlement.abi.Unpack("genesis", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackHashOrderUpdate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7231d6b7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hashOrderUpdate((address,address,uint64,uint256,uint64,bytes32,uint64) u) view returns(bytes32)
func (settlement *Settlement) PackHashOrderUpdate(u SettlementOrderUpdate) []byte {
	enc, err := settlement.abi.Pack("hashOrderUpdate", u)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHashOrderUpdate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7231d6b7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hashOrderUpdate((address,address,uint64,uint256,uint64,bytes32,uint64) u) view returns(bytes32)
func (settlement *Settlement) TryPackHashOrderUpdate(u SettlementOrderUpdate) ([]byte, error) {
	return settlement.abi.Pack("hashOrderUpdate", u)
}

// UnpackHashOrderUpdate is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7231d6b7.
//
// Solidity: function hashOrderUpdate((address,address,uint64,uint256,uint64,bytes32,uint64) u) view returns(bytes32)
func (settlement *Settlement) UnpackHashOrderUpdate(data []byte) ([32]byte, error) {
	out, err := settlement.abi.Unpack("hashOrderUpdate", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackLockedOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa5f1e282.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function lockedOf(address ) view returns(uint256)
func (settlement *Settlement) PackLockedOf(arg0 common.Address) []byte {
	enc, err := settlement.abi.Pack("lockedOf", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLockedOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa5f1e282.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function lockedOf(address ) view returns(uint256)
func (settlement *Settlement) TryPackLockedOf(arg0 common.Address) ([]byte, error) {
	return settlement.abi.Pack("lockedOf", arg0)
}

// UnpackLockedOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa5f1e282.
//
// Solidity: function lockedOf(address ) view returns(uint256)
func (settlement *Settlement) UnpackLockedOf(data []byte) (*big.Int, error) {
	out, err := settlement.abi.Unpack("lockedOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackOrder is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x326931a9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function order(address user, address provider) view returns((uint64,uint64,uint64,uint64,uint64,uint256,uint256,bytes32))
func (settlement *Settlement) PackOrder(user common.Address, provider common.Address) []byte {
	enc, err := settlement.abi.Pack("order", user, provider)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOrder is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x326931a9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function order(address user, address provider) view returns((uint64,uint64,uint64,uint64,uint64,uint256,uint256,bytes32))
func (settlement *Settlement) TryPackOrder(user common.Address, provider common.Address) ([]byte, error) {
	return settlement.abi.Pack("order", user, provider)
}

// UnpackOrder is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x326931a9.
//
// Solidity: function order(address user, address provider) view returns((uint64,uint64,uint64,uint64,uint64,uint256,uint256,bytes32))
func (settlement *Settlement) UnpackOrder(data []byte) (SettlementOrder, error) {
	out, err := settlement.abi.Unpack("order", data)
	if err != nil {
		return *new(SettlementOrder), err
	}
	out0 := *abi.ConvertType(out[0], new(SettlementOrder)).(*SettlementOrder)
	return out0, nil
}

// PackOrdersOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfaae3a6c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ordersOf(address provider) view returns(address[])
func (settlement *Settlement) PackOrdersOf(provider common.Address) []byte {
	enc, err := settlement.abi.Pack("ordersOf", provider)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOrdersOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfaae3a6c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ordersOf(address provider) view returns(address[])
func (settlement *Settlement) TryPackOrdersOf(provider common.Address) ([]byte, error) {
	return settlement.abi.Pack("ordersOf", provider)
}

// UnpackOrdersOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfaae3a6c.
//
// Solidity: function ordersOf(address provider) view returns(address[])
func (settlement *Settlement) UnpackOrdersOf(data []byte) ([]common.Address, error) {
	out, err := settlement.abi.Unpack("ordersOf", data)
	if err != nil {
		return *new([]common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new([]common.Address)).(*[]common.Address)
	return out0, nil
}

// PackRegistry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b103999.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function registry() view returns(address)
func (settlement *Settlement) PackRegistry() []byte {
	enc, err := settlement.abi.Pack("registry")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegistry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b103999.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function registry() view returns(address)
func (settlement *Settlement) TryPackRegistry() ([]byte, error) {
	return settlement.abi.Pack("registry")
}

// UnpackRegistry is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7b103999.
//
// Solidity: function registry() view returns(address)
func (settlement *Settlement) UnpackRegistry(data []byte) (common.Address, error) {
	out, err := settlement.abi.Unpack("registry", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackSettledIncome is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x63e83e31.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function settledIncome(address ) view returns(uint256)
func (settlement *Settlement) PackSettledIncome(arg0 common.Address) []byte {
	enc, err := settlement.abi.Pack("settledIncome", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSettledIncome is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x63e83e31.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function settledIncome(address ) view returns(uint256)
func (settlement *Settlement) TryPackSettledIncome(arg0 common.Address) ([]byte, error) {
	return settlement.abi.Pack("settledIncome", arg0)
}

// UnpackSettledIncome is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x63e83e31.
//
// Solidity: function settledIncome(address ) view returns(uint256)
func (settlement *Settlement) UnpackSettledIncome(data []byte) (*big.Int, error) {
	out, err := settlement.abi.Unpack("settledIncome", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackToken is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfc0c546a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function token() view returns(address)
func (settlement *Settlement) PackToken() []byte {
	enc, err := settlement.abi.Pack("token")
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
func (settlement *Settlement) TryPackToken() ([]byte, error) {
	return settlement.abi.Pack("token")
}

// UnpackToken is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfc0c546a.
//
// Solidity: function token() view returns(address)
func (settlement *Settlement) UnpackToken(data []byte) (common.Address, error) {
	out, err := settlement.abi.Unpack("token", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackUpdateOrder is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5f4ad0f9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function updateOrder((address,address,uint64,uint256,uint64,bytes32,uint64) u, bytes userSig, bytes providerSig) returns()
func (settlement *Settlement) PackUpdateOrder(u SettlementOrderUpdate, userSig []byte, providerSig []byte) []byte {
	enc, err := settlement.abi.Pack("updateOrder", u, userSig, providerSig)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUpdateOrder is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5f4ad0f9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function updateOrder((address,address,uint64,uint256,uint64,bytes32,uint64) u, bytes userSig, bytes providerSig) returns()
func (settlement *Settlement) TryPackUpdateOrder(u SettlementOrderUpdate, userSig []byte, providerSig []byte) ([]byte, error) {
	return settlement.abi.Pack("updateOrder", u, userSig, providerSig)
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2e1a7d4d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw(uint256 amount) returns()
func (settlement *Settlement) PackWithdraw(amount *big.Int) []byte {
	enc, err := settlement.abi.Pack("withdraw", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2e1a7d4d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdraw(uint256 amount) returns()
func (settlement *Settlement) TryPackWithdraw(amount *big.Int) ([]byte, error) {
	return settlement.abi.Pack("withdraw", amount)
}

// SettlementDeposited represents a Deposited event raised by the Settlement contract.
type SettlementDeposited struct {
	User    common.Address
	Amount  *big.Int
	Balance *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const SettlementDepositedEventName = "Deposited"

// ContractEventName returns the user-defined event name.
func (SettlementDeposited) ContractEventName() string {
	return SettlementDepositedEventName
}

// UnpackDepositedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Deposited(address indexed user, uint256 amount, uint256 balance)
func (settlement *Settlement) UnpackDepositedEvent(log *types.Log) (*SettlementDeposited, error) {
	event := "Deposited"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != settlement.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SettlementDeposited)
	if len(log.Data) > 0 {
		if err := settlement.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range settlement.abi.Events[event].Inputs {
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

// SettlementIncomeSettled represents a IncomeSettled event raised by the Settlement contract.
type SettlementIncomeSettled struct {
	Provider   common.Address
	User       common.Address
	UntilEpoch uint64
	Amount     *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const SettlementIncomeSettledEventName = "IncomeSettled"

// ContractEventName returns the user-defined event name.
func (SettlementIncomeSettled) ContractEventName() string {
	return SettlementIncomeSettledEventName
}

// UnpackIncomeSettledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event IncomeSettled(address indexed provider, address indexed user, uint64 untilEpoch, uint256 amount)
func (settlement *Settlement) UnpackIncomeSettledEvent(log *types.Log) (*SettlementIncomeSettled, error) {
	event := "IncomeSettled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != settlement.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SettlementIncomeSettled)
	if len(log.Data) > 0 {
		if err := settlement.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range settlement.abi.Events[event].Inputs {
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

// SettlementOrderExpired represents a OrderExpired event raised by the Settlement contract.
type SettlementOrderExpired struct {
	User     common.Address
	Provider common.Address
	Refund   *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const SettlementOrderExpiredEventName = "OrderExpired"

// ContractEventName returns the user-defined event name.
func (SettlementOrderExpired) ContractEventName() string {
	return SettlementOrderExpiredEventName
}

// UnpackOrderExpiredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OrderExpired(address indexed user, address indexed provider, uint256 refund)
func (settlement *Settlement) UnpackOrderExpiredEvent(log *types.Log) (*SettlementOrderExpired, error) {
	event := "OrderExpired"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != settlement.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SettlementOrderExpired)
	if len(log.Data) > 0 {
		if err := settlement.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range settlement.abi.Events[event].Inputs {
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

// SettlementOrderUpdated represents a OrderUpdated event raised by the Settlement contract.
type SettlementOrderUpdated struct {
	User     common.Address
	Provider common.Address
	Size     uint64
	Price    *big.Int
	Start    uint64
	End      uint64
	Root     [32]byte
	Nonce    uint64
	Escrow   *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const SettlementOrderUpdatedEventName = "OrderUpdated"

// ContractEventName returns the user-defined event name.
func (SettlementOrderUpdated) ContractEventName() string {
	return SettlementOrderUpdatedEventName
}

// UnpackOrderUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OrderUpdated(address indexed user, address indexed provider, uint64 size, uint256 price, uint64 start, uint64 end, bytes32 root, uint64 nonce, uint256 escrow)
func (settlement *Settlement) UnpackOrderUpdatedEvent(log *types.Log) (*SettlementOrderUpdated, error) {
	event := "OrderUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != settlement.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SettlementOrderUpdated)
	if len(log.Data) > 0 {
		if err := settlement.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range settlement.abi.Events[event].Inputs {
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

// SettlementWithdrawn represents a Withdrawn event raised by the Settlement contract.
type SettlementWithdrawn struct {
	User    common.Address
	Amount  *big.Int
	Balance *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const SettlementWithdrawnEventName = "Withdrawn"

// ContractEventName returns the user-defined event name.
func (SettlementWithdrawn) ContractEventName() string {
	return SettlementWithdrawnEventName
}

// UnpackWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Withdrawn(address indexed user, uint256 amount, uint256 balance)
func (settlement *Settlement) UnpackWithdrawnEvent(log *types.Log) (*SettlementWithdrawn, error) {
	event := "Withdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != settlement.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SettlementWithdrawn)
	if len(log.Data) > 0 {
		if err := settlement.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range settlement.abi.Events[event].Inputs {
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
