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
	ABI: "[{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"FAUCET_AMOUNT\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"allowance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"decimals\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"faucet\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalSupply\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"transfer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "MemoToken",
	Bin: "0x6080604052348015600e575f5ffd5b506106dc8061001c5f395ff3fe608060405234801561000f575f5ffd5b50600436106100a6575f3560e01c806370a082311161006e57806370a0823114610149578063766976401461016857806395d89b41146100aa578063a9059cbb14610177578063dd62ed3e1461018a578063de5f72fd146101b4575f5ffd5b806306fdde03146100aa578063095ea7b3146100e357806318160ddd1461010657806323b872dd1461011c578063313ce5671461012f575b5f5ffd5b6100cd604051806040016040528060048152602001634d454d4f60e01b81525081565b6040516100da9190610569565b60405180910390f35b6100f66100f13660046105b9565b6101be565b60405190151581526020016100da565b61010e5f5481565b6040519081526020016100da565b6100f661012a3660046105e1565b61022a565b610137601281565b60405160ff90911681526020016100da565b61010e61015736600461061b565b60016020525f908152604090205481565b61010e678ac7230489e8000081565b6100f66101853660046105b9565b6102f8565b61010e61019836600461063b565b600260209081525f928352604080842090915290825290205481565b6101bc61030d565b005b335f8181526002602090815260408083206001600160a01b038716808552925280832085905551919290917f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925906102189086815260200190565b60405180910390a35060015b92915050565b6001600160a01b0383165f9081526002602090815260408083203384529091528120545f1981146102e257828110156102b45760405162461bcd60e51b815260206004820152602160248201527f4d656d6f546f6b656e3a20696e73756666696369656e7420616c6c6f77616e636044820152606560f81b60648201526084015b60405180910390fd5b6102be8382610680565b6001600160a01b0386165f9081526002602090815260408083203384529091529020555b6102ed85858561040f565b506001949350505050565b5f61030433848461040f565b50600192915050565b335f90815260016020526040902054678ac7230489e80000116103865760405162461bcd60e51b815260206004820152602b60248201527f4d656d6f546f6b656e3a2062616c616e636520616c7265616479203e3d20666160448201526a1d58d95d08185b5bdd5b9d60aa1b60648201526084016102ab565b678ac7230489e800005f5f82825461039e9190610693565b9091555050335f9081526001602052604081208054678ac7230489e8000092906103c9908490610693565b9091555050604051678ac7230489e80000815233905f907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9060200160405180910390a3565b6001600160a01b0382166104715760405162461bcd60e51b815260206004820152602360248201527f4d656d6f546f6b656e3a207472616e7366657220746f207a65726f206164647260448201526265737360e81b60648201526084016102ab565b6001600160a01b0383165f90815260016020526040902054818110156104d95760405162461bcd60e51b815260206004820152601f60248201527f4d656d6f546f6b656e3a20696e73756666696369656e742062616c616e63650060448201526064016102ab565b6001600160a01b038085165f9081526001602052604080822085850390559185168152908120805484929061050f908490610693565b92505081905550826001600160a01b0316846001600160a01b03167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef8460405161055b91815260200190565b60405180910390a350505050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b80356001600160a01b03811681146105b4575f5ffd5b919050565b5f5f604083850312156105ca575f5ffd5b6105d38361059e565b946020939093013593505050565b5f5f5f606084860312156105f3575f5ffd5b6105fc8461059e565b925061060a6020850161059e565b929592945050506040919091013590565b5f6020828403121561062b575f5ffd5b6106348261059e565b9392505050565b5f5f6040838503121561064c575f5ffd5b6106558361059e565b91506106636020840161059e565b90509250929050565b634e487b7160e01b5f52601160045260245ffd5b818103818111156102245761022461066c565b808201808211156102245761022461066c56fea2646970667358221220f19fd48daf3f4db232cb50944eabee9f057eddae88eb449f169375fa883d3d5064736f6c63430008250033",
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
