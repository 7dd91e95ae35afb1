// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package memotoken

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

// MemoTokenMetaData contains all meta data concerning the MemoToken contract.
var MemoTokenMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"bool\",\"name\":\"faucetEnabled_\",\"type\":\"bool\"},{\"internalType\":\"uint256\",\"name\":\"initialSupply\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"FAUCET_AMOUNT\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"allowance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"decimals\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"faucet\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"faucetEnabled\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalSupply\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"transfer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "MemoToken",
	Bin: "0x60a060405234801561000f575f5ffd5b5060405161086538038061086583398101604081905261002e9161008b565b8115156080528015610084575f81815533808252600160209081526040808420859055518481529192917fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef910160405180910390a35b50506100bb565b5f5f6040838503121561009c575f5ffd5b825180151581146100ab575f5ffd5b6020939093015192949293505050565b60805161078b6100da5f395f81816101590152610341015261078b5ff3fe608060405234801561000f575f5ffd5b50600436106100b1575f3560e01c806370a082311161006e57806370a082311461017b578063766976401461019a57806395d89b41146100b5578063a9059cbb146101a9578063dd62ed3e146101bc578063de5f72fd146101e6575f5ffd5b806306fdde03146100b5578063095ea7b3146100ee57806318160ddd1461011157806323b872dd14610127578063313ce5671461013a5780635d1c3f0414610154575b5f5ffd5b6100d8604051806040016040528060048152602001634d454d4f60e01b81525081565b6040516100e59190610618565b60405180910390f35b6101016100fc366004610668565b6101f0565b60405190151581526020016100e5565b6101195f5481565b6040519081526020016100e5565b610101610135366004610690565b61025c565b610142601281565b60405160ff90911681526020016100e5565b6101017f000000000000000000000000000000000000000000000000000000000000000081565b6101196101893660046106ca565b60016020525f908152604090205481565b610119678ac7230489e8000081565b6101016101b7366004610668565b61032a565b6101196101ca3660046106ea565b600260209081525f928352604080842090915290825290205481565b6101ee61033f565b005b335f8181526002602090815260408083206001600160a01b038716808552925280832085905551919290917f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b9259061024a9086815260200190565b60405180910390a35060015b92915050565b6001600160a01b0383165f9081526002602090815260408083203384529091528120545f19811461031457828110156102e65760405162461bcd60e51b815260206004820152602160248201527f4d656d6f546f6b656e3a20696e73756666696369656e7420616c6c6f77616e636044820152606560f81b60648201526084015b60405180910390fd5b6102f0838261072f565b6001600160a01b0386165f9081526002602090815260408083203384529091529020555b61031f8585856104be565b506001949350505050565b5f6103363384846104be565b50600192915050565b7f00000000000000000000000000000000000000000000000000000000000000006103bc5760405162461bcd60e51b815260206004820152602760248201527f4d656d6f546f6b656e3a206e6f20666175636574206f6e2074686973206465706044820152661b1bde5b595b9d60ca1b60648201526084016102dd565b335f90815260016020526040902054678ac7230489e80000116104355760405162461bcd60e51b815260206004820152602b60248201527f4d656d6f546f6b656e3a2062616c616e636520616c7265616479203e3d20666160448201526a1d58d95d08185b5bdd5b9d60aa1b60648201526084016102dd565b678ac7230489e800005f5f82825461044d9190610742565b9091555050335f9081526001602052604081208054678ac7230489e800009290610478908490610742565b9091555050604051678ac7230489e80000815233905f907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9060200160405180910390a3565b6001600160a01b0382166105205760405162461bcd60e51b815260206004820152602360248201527f4d656d6f546f6b656e3a207472616e7366657220746f207a65726f206164647260448201526265737360e81b60648201526084016102dd565b6001600160a01b0383165f90815260016020526040902054818110156105885760405162461bcd60e51b815260206004820152601f60248201527f4d656d6f546f6b656e3a20696e73756666696369656e742062616c616e63650060448201526064016102dd565b6001600160a01b038085165f908152600160205260408082208585039055918516815290812080548492906105be908490610742565b92505081905550826001600160a01b0316846001600160a01b03167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef8460405161060a91815260200190565b60405180910390a350505050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b80356001600160a01b0381168114610663575f5ffd5b919050565b5f5f60408385031215610679575f5ffd5b6106828361064d565b946020939093013593505050565b5f5f5f606084860312156106a2575f5ffd5b6106ab8461064d565b92506106b96020850161064d565b929592945050506040919091013590565b5f602082840312156106da575f5ffd5b6106e38261064d565b9392505050565b5f5f604083850312156106fb575f5ffd5b6107048361064d565b91506107126020840161064d565b90509250929050565b634e487b7160e01b5f52601160045260245ffd5b818103818111156102565761025661071b565b808201808211156102565761025661071b56fea2646970667358221220bc6f15b86f7e80f0eb6696194ee54ffbd9fac609197e5bcfd0e8839f31116c9264736f6c63430008250033",
}

// MemoToken is an auto generated Go binding around an Ethereum contract.
type MemoToken struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *MemoToken) GetABI() abi.ABI {
	return c.abi
}

// NewMemoToken creates a new instance of MemoToken.
func NewMemoToken() *MemoToken {
	parsed, err := MemoTokenMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &MemoToken{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *MemoToken) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(bool faucetEnabled_, uint256 initialSupply) returns()
func (memoToken *MemoToken) PackConstructor(faucetEnabled_ bool, initialSupply *big.Int) []byte {
	enc, err := memoToken.abi.Pack("", faucetEnabled_, initialSupply)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackFAUCETAMOUNT is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x76697640.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function FAUCET_AMOUNT() view returns(uint256)
func (memoToken *MemoToken) PackFAUCETAMOUNT() []byte {
	enc, err := memoToken.abi.Pack("FAUCET_AMOUNT")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFAUCETAMOUNT is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x76697640.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function FAUCET_AMOUNT() view returns(uint256)
func (memoToken *MemoToken) TryPackFAUCETAMOUNT() ([]byte, error) {
	return memoToken.abi.Pack("FAUCET_AMOUNT")
}

// UnpackFAUCETAMOUNT is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x76697640.
//
// Solidity: function FAUCET_AMOUNT() view returns(uint256)
func (memoToken *MemoToken) UnpackFAUCETAMOUNT(data []byte) (*big.Int, error) {
	out, err := memoToken.abi.Unpack("FAUCET_AMOUNT", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (memoToken *MemoToken) PackAllowance(arg0 common.Address, arg1 common.Address) []byte {
	enc, err := memoToken.abi.Pack("allowance", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (memoToken *MemoToken) TryPackAllowance(arg0 common.Address, arg1 common.Address) ([]byte, error) {
	return memoToken.abi.Pack("allowance", arg0, arg1)
}

// UnpackAllowance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (memoToken *MemoToken) UnpackAllowance(data []byte) (*big.Int, error) {
	out, err := memoToken.abi.Unpack("allowance", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function approve(address spender, uint256 value) returns(bool)
func (memoToken *MemoToken) PackApprove(spender common.Address, value *big.Int) []byte {
	enc, err := memoToken.abi.Pack("approve", spender, value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function approve(address spender, uint256 value) returns(bool)
func (memoToken *MemoToken) TryPackApprove(spender common.Address, value *big.Int) ([]byte, error) {
	return memoToken.abi.Pack("approve", spender, value)
}

// UnpackApprove is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 value) returns(bool)
func (memoToken *MemoToken) UnpackApprove(data []byte) (bool, error) {
	out, err := memoToken.abi.Unpack("approve", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (memoToken *MemoToken) PackBalanceOf(arg0 common.Address) []byte {
	enc, err := memoToken.abi.Pack("balanceOf", arg0)
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
func (memoToken *MemoToken) TryPackBalanceOf(arg0 common.Address) ([]byte, error) {
	return memoToken.abi.Pack("balanceOf", arg0)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (memoToken *MemoToken) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := memoToken.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function decimals() view returns(uint8)
func (memoToken *MemoToken) PackDecimals() []byte {
	enc, err := memoToken.abi.Pack("decimals")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function decimals() view returns(uint8)
func (memoToken *MemoToken) TryPackDecimals() ([]byte, error) {
	return memoToken.abi.Pack("decimals")
}

// UnpackDecimals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (memoToken *MemoToken) UnpackDecimals(data []byte) (uint8, error) {
	out, err := memoToken.abi.Unpack("decimals", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackFaucet is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xde5f72fd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function faucet() returns()
func (memoToken *MemoToken) PackFaucet() []byte {
	enc, err := memoToken.abi.Pack("faucet")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFaucet is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xde5f72fd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function faucet() returns()
func (memoToken *MemoToken) TryPackFaucet() ([]byte, error) {
	return memoToken.abi.Pack("faucet")
}

// PackFaucetEnabled is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5d1c3f04.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function faucetEnabled() view returns(bool)
func (memoToken *MemoToken) PackFaucetEnabled() []byte {
	enc, err := memoToken.abi.Pack("faucetEnabled")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFaucetEnabled is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5d1c3f04.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function faucetEnabled() view returns(bool)
func (memoToken *MemoToken) TryPackFaucetEnabled() ([]byte, error) {
	return memoToken.abi.Pack("faucetEnabled")
}

// UnpackFaucetEnabled is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5d1c3f04.
//
// Solidity: function faucetEnabled() view returns(bool)
func (memoToken *MemoToken) UnpackFaucetEnabled(data []byte) (bool, error) {
	out, err := memoToken.abi.Unpack("faucetEnabled", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function name() view returns(string)
func (memoToken *MemoToken) PackName() []byte {
	enc, err := memoToken.abi.Pack("name")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function name() view returns(string)
func (memoToken *MemoToken) TryPackName() ([]byte, error) {
	return memoToken.abi.Pack("name")
}

// UnpackName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (memoToken *MemoToken) UnpackName(data []byte) (string, error) {
	out, err := memoToken.abi.Unpack("name", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function symbol() view returns(string)
func (memoToken *MemoToken) PackSymbol() []byte {
	enc, err := memoToken.abi.Pack("symbol")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function symbol() view returns(string)
func (memoToken *MemoToken) TryPackSymbol() ([]byte, error) {
	return memoToken.abi.Pack("symbol")
}

// UnpackSymbol is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (memoToken *MemoToken) UnpackSymbol(data []byte) (string, error) {
	out, err := memoToken.abi.Unpack("symbol", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function totalSupply() view returns(uint256)
func (memoToken *MemoToken) PackTotalSupply() []byte {
	enc, err := memoToken.abi.Pack("totalSupply")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function totalSupply() view returns(uint256)
func (memoToken *MemoToken) TryPackTotalSupply() ([]byte, error) {
	return memoToken.abi.Pack("totalSupply")
}

// UnpackTotalSupply is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (memoToken *MemoToken) UnpackTotalSupply(data []byte) (*big.Int, error) {
	out, err := memoToken.abi.Unpack("totalSupply", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transfer(address to, uint256 value) returns(bool)
func (memoToken *MemoToken) PackTransfer(to common.Address, value *big.Int) []byte {
	enc, err := memoToken.abi.Pack("transfer", to, value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transfer(address to, uint256 value) returns(bool)
func (memoToken *MemoToken) TryPackTransfer(to common.Address, value *big.Int) ([]byte, error) {
	return memoToken.abi.Pack("transfer", to, value)
}

// UnpackTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 value) returns(bool)
func (memoToken *MemoToken) UnpackTransfer(data []byte) (bool, error) {
	out, err := memoToken.abi.Unpack("transfer", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferFrom(address from, address to, uint256 value) returns(bool)
func (memoToken *MemoToken) PackTransferFrom(from common.Address, to common.Address, value *big.Int) []byte {
	enc, err := memoToken.abi.Pack("transferFrom", from, to, value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferFrom(address from, address to, uint256 value) returns(bool)
func (memoToken *MemoToken) TryPackTransferFrom(from common.Address, to common.Address, value *big.Int) ([]byte, error) {
	return memoToken.abi.Pack("transferFrom", from, to, value)
}

// UnpackTransferFrom is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 value) returns(bool)
func (memoToken *MemoToken) UnpackTransferFrom(data []byte) (bool, error) {
	out, err := memoToken.abi.Unpack("transferFrom", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// MemoTokenApproval represents a Approval event raised by the MemoToken contract.
type MemoTokenApproval struct {
	Owner   common.Address
	Spender common.Address
	Value   *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const MemoTokenApprovalEventName = "Approval"

// ContractEventName returns the user-defined event name.
func (MemoTokenApproval) ContractEventName() string {
	return MemoTokenApprovalEventName
}

// UnpackApprovalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (memoToken *MemoToken) UnpackApprovalEvent(log *types.Log) (*MemoTokenApproval, error) {
	event := "Approval"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != memoToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MemoTokenApproval)
	if len(log.Data) > 0 {
		if err := memoToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range memoToken.abi.Events[event].Inputs {
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

// MemoTokenTransfer represents a Transfer event raised by the MemoToken contract.
type MemoTokenTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const MemoTokenTransferEventName = "Transfer"

// ContractEventName returns the user-defined event name.
func (MemoTokenTransfer) ContractEventName() string {
	return MemoTokenTransferEventName
}

// UnpackTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (memoToken *MemoToken) UnpackTransferEvent(log *types.Log) (*MemoTokenTransfer, error) {
	event := "Transfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != memoToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(MemoTokenTransfer)
	if len(log.Data) > 0 {
		if err := memoToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range memoToken.abi.Events[event].Inputs {
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
