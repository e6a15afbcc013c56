// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title An ERC-20 that burns a fee on every transfer, as deflationary tokens do: the recipient gets less than the
///        amount sent, the sender is debited the full amount. Whoever deploys it may mint; minting takes no fee.
contract FeeOnTransferToken is ERC20 {
    address private immutable minter;
    uint256 public immutable feeBasisPoints;

    error OnlyMinter();

    constructor(string memory name_, string memory symbol_, uint256 feeBasisPoints_) ERC20(name_, symbol_) {
        minter = msg.sender;
        feeBasisPoints = feeBasisPoints_;
    }

    function mint(address to, uint256 amount) external {
        if (msg.sender != minter) revert OnlyMinter();
        _mint(to, amount);
    }

    /// @dev Every transfer and transferFrom passes here; mints and burns (from or to address(0)) take no fee.
    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) {
            super._update(from, to, value);
            return;
        }
        uint256 fee = value * feeBasisPoints / 10_000;
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
