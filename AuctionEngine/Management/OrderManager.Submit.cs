using AuctionEngine.Crypto;
using AuctionEngine.Management.Internal;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;
using AuctionEngine.Signing;

namespace AuctionEngine.Management;

public sealed partial class OrderManager
{
    private readonly ValueList<CancellationEntry> _cancellations = new(16);
    private readonly ValueList<InstructionEntry> _arrivals = new(16);

    /// <summary>
    /// Step 1 of block <paramref name="block"/>: checks every signature, then applies the cancellations and then the
    /// new instructions, each set in ascending id (never arrival) order.
    /// </summary>
    /// <param name="block">The block they arrived in.</param>
    /// <param name="cancellations">Signed cancellations, in any order.</param>
    /// <param name="instructions">Signed instructions, in any order.</param>
    /// <remarks>
    /// <para>
    /// Events: for each cancellation in ascending order of the instruction it names, <see cref="ManagementEventKind.Cancelled"/>
    /// (preceded by <see cref="ManagementEventKind.Withdrawn"/> for each of its orders still waiting in an uncleared batch)
    /// or <see cref="ManagementEventKind.CancellationRejected"/>; then for each instruction in ascending id,
    /// <see cref="ManagementEventKind.Accepted"/> or <see cref="ManagementEventKind.Rejected"/>. A refused submission never
    /// throws. An instruction cancelled in the block it would trigger is cancelled before the evaluation and never triggers.
    /// </para>
    /// <para>
    /// A cancellation of a bracket cancels all of it, exits included: it is the trader's explicit choice.
    /// An instruction's id is accepted once, ever: the id of a finished instruction stays known so that a replayed
    /// signature cannot re-arm it. One with an expiry block is forgotten once that block has been evaluated: a replay
    /// can then only arrive after its expiry and is refused as <see cref="InstructionRejectReason.ExpiredOnArrival"/>,
    /// which is checked first, as it always was.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="block"/> is not after the last evaluated block.</exception>
    public void Submit(long block, ReadOnlySpan<SignedCancellation> cancellations, ReadOnlySpan<SignedInstruction> instructions)
    {
        CheckOpenBlock(block);
        _cancellations.Clear();
        _arrivals.Clear();
        Span<byte> digest = stackalloc byte[Keccak256.HashSize];
        foreach (SignedCancellation signed in cancellations)
        {
            signed.Cancellation.ComputeDigest(_domain, _keccak, digest);
            _cancellations.Add(new CancellationEntry(signed.Cancellation, CheckSignature(digest, signed.Signature.Span, signed.Cancellation.Trader)));
        }

        foreach (SignedInstruction signed in instructions)
        {
            InstructionRejectReason reason = InstructionRejectReason.None;
            if (!Enum.IsDefined(signed.Instruction.Kind))
            {
                digest.Clear();
                reason = InstructionRejectReason.InvalidType;
            }
            else
            {
                signed.Instruction.ComputeDigest(_domain, _keccak, digest);
                reason = CheckSignature(digest, signed.Signature.Span, signed.Instruction.Trader);
            }

            _arrivals.Add(new InstructionEntry(signed.Instruction, new Hash32(digest), reason));
        }

        ApplySubmissions(block);
    }

    /// <summary>Step 1 for instructions whose signatures the caller has already checked (tests, benchmarks, a host that verified upstream).</summary>
    internal void SubmitVerified(long block, ReadOnlySpan<InstructionCancellation> cancellations, ReadOnlySpan<Instruction> instructions)
    {
        CheckOpenBlock(block);
        _cancellations.Clear();
        _arrivals.Clear();
        foreach (InstructionCancellation cancellation in cancellations)
        {
            _cancellations.Add(new CancellationEntry(cancellation, InstructionRejectReason.None));
        }

        Span<byte> digest = stackalloc byte[Keccak256.HashSize];
        foreach (Instruction instruction in instructions)
        {
            instruction.ComputeDigest(_domain, _keccak, digest);
            _arrivals.Add(new InstructionEntry(instruction, new Hash32(digest), InstructionRejectReason.None));
        }

        ApplySubmissions(block);
    }

    private static InstructionRejectReason CheckSignature(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature, Address trader)
    {
        if (Secp256k1.RecoverAddress(digest, signature, out Address signer) != SignatureStatus.Valid)
        {
            return InstructionRejectReason.BadSignature;
        }

        return signer == trader ? InstructionRejectReason.None : InstructionRejectReason.SignerNotTrader;
    }

    private void ApplySubmissions(long block)
    {
        Span<CancellationEntry> cancellations = _cancellations.Span;
        cancellations.Sort(static (a, b) =>
        {
            int byTarget = a.Cancellation.Instruction.CompareTo(b.Cancellation.Instruction);
            int byTrader = a.Cancellation.Trader.CompareTo(b.Cancellation.Trader);
            return byTarget != 0 ? byTarget : byTrader != 0 ? byTrader : a.Reason.CompareTo(b.Reason);
        });
        foreach (CancellationEntry entry in cancellations)
        {
            Cancel(block, entry);
        }

        Span<InstructionEntry> arrivals = _arrivals.Span;
        // Copies of one instruction are adjacent; a validly signed copy goes first, so which copy is accepted never
        // depends on arrival order.
        arrivals.Sort(static (a, b) =>
        {
            int byId = a.Id.CompareTo(b.Id);
            return byId != 0 ? byId : a.Reason.CompareTo(b.Reason);
        });
        foreach (InstructionEntry entry in arrivals)
        {
            InstructionRejectReason reason = entry.Reason;
            if (reason == InstructionRejectReason.None)
            {
                reason = Validate(entry.Instruction, block);
            }

            if (reason == InstructionRejectReason.None)
            {
                reason = CheckCapacity(entry);
            }

            if (reason != InstructionRejectReason.None)
            {
                Emit(new ManagementEvent { Kind = ManagementEventKind.Rejected, Block = block, Instruction = entry.Id, Reason = reason });
                continue;
            }

            Accept(entry.Instruction, entry.Id, block);
            Emit(new ManagementEvent { Kind = ManagementEventKind.Accepted, Block = block, Instruction = entry.Id });
        }

        CompactPending();
    }

    private void Cancel(long block, in CancellationEntry entry)
    {
        InstructionRejectReason reason = entry.Reason;
        Hash32 target = entry.Cancellation.Instruction;
        int slot = -1;
        if (reason == InstructionRejectReason.None && entry.Cancellation.Market != _settings.MarketAddress)
        {
            reason = InstructionRejectReason.WrongMarket;
        }

        if (reason == InstructionRejectReason.None && (!_ids.TryGetValue(target, out slot) || slot < 0))
        {
            reason = InstructionRejectReason.UnknownInstruction;
        }

        if (reason == InstructionRejectReason.None && _instructions[slot].Trader != entry.Cancellation.Trader)
        {
            reason = InstructionRejectReason.NotInstructionTrader;
        }

        if (reason != InstructionRejectReason.None)
        {
            Emit(new ManagementEvent { Kind = ManagementEventKind.CancellationRejected, Block = block, Instruction = target, Reason = reason });
            return;
        }

        CancelWhole(slot, block, CancelCause.Trader);
    }

    private InstructionRejectReason CheckCapacity(in InstructionEntry entry)
    {
        if (_ids.ContainsKey(entry.Id))
        {
            return InstructionRejectReason.DuplicateInstruction;
        }

        if (_traderSlots.TryGetValue(entry.Instruction.Trader, out int trader) && _traders[trader].Live >= _settings.MaxInstructionsPerTrader)
        {
            return InstructionRejectReason.TooManyInstructions;
        }

        return _liveCount >= _settings.MaxInstructions ? InstructionRejectReason.ManagerFull : InstructionRejectReason.None;
    }

    private InstructionRejectReason Validate(in Instruction instruction, long block)
    {
        if (instruction.Market != _settings.MarketAddress)
        {
            return InstructionRejectReason.WrongMarket;
        }

        if (_closed)
        {
            return InstructionRejectReason.MarketClosed;
        }

        if (instruction.ExpiryBlock != 0 && instruction.ExpiryBlock < block)
        {
            return InstructionRejectReason.ExpiredOnArrival;
        }

        switch (instruction.Kind)
        {
            case InstructionKind.Stop:
                return ValidateLeg(instruction.First, LegType.Stop);
            case InstructionKind.TrailingStop:
                return ValidateLeg(instruction.First, LegType.TrailingStop);
            case InstructionKind.Limit:
                return ValidateLeg(instruction.First, LegType.Limit);
            case InstructionKind.Twap:
                return ValidateTwap(instruction, block);
            case InstructionKind.Oco:
            {
                InstructionRejectReason first = ValidateLeg(instruction.First, instruction.First.Type);
                if (first != InstructionRejectReason.None)
                {
                    return first;
                }

                InstructionRejectReason second = ValidateLeg(instruction.Second, instruction.Second.Type);
                if (second != InstructionRejectReason.None)
                {
                    return second;
                }

                // Two standing limits could both fill at one uniform price: one-cancels-the-other could not hold.
                return instruction.First.Type == LegType.Limit && instruction.Second.Type == LegType.Limit
                    ? InstructionRejectReason.InvalidLegs
                    : InstructionRejectReason.None;
            }

            case InstructionKind.Bracket:
                return ValidateBracket(instruction);
            case InstructionKind.DeltaHedge:
                return ValidateDeltaHedge(instruction);
            case InstructionKind.Quote:
                return ValidateQuote(instruction);
            default:
                return InstructionRejectReason.InvalidType;
        }
    }

    private InstructionRejectReason ValidateBracket(in Instruction instruction)
    {
        InstructionLeg entry = instruction.First;
        if (entry.Type is not (LegType.Stop or LegType.Limit))
        {
            return Enum.IsDefined(entry.Type) ? InstructionRejectReason.InvalidLegs : InstructionRejectReason.InvalidType;
        }

        InstructionRejectReason reason = ValidateLeg(entry, entry.Type);
        if (reason == InstructionRejectReason.None)
        {
            reason = ValidateLeg(instruction.Second, LegType.Stop);
        }

        if (reason == InstructionRejectReason.None)
        {
            reason = ValidateLeg(instruction.Third, LegType.Stop);
        }

        if (reason != InstructionRejectReason.None)
        {
            return reason;
        }

        Side exitSide = entry.Side == Side.Buy ? Side.Sell : Side.Buy;
        bool fits = instruction.Second.Side == exitSide && instruction.Third.Side == exitSide &&
            instruction.Second.StopKind == StopKind.TakeProfit && instruction.Third.StopKind == StopKind.StopLoss &&
            instruction.Second.Quantity == entry.Quantity && instruction.Third.Quantity == entry.Quantity;
        return fits ? InstructionRejectReason.None : InstructionRejectReason.InvalidLegs;
    }

    private InstructionRejectReason ValidateTwap(in Instruction instruction, long block)
    {
        if (!Enum.IsDefined(instruction.Side))
        {
            return InstructionRejectReason.InvalidType;
        }

        if (instruction.Quantity < 1 || instruction.Quantity > _settings.Market.MaxOrderQuantity)
        {
            return InstructionRejectReason.InvalidQuantity;
        }

        if (instruction.LimitPrice < 0 || instruction.LimitPrice > _settings.Market.MaxPrice)
        {
            return InstructionRejectReason.InvalidPrice;
        }

        if (instruction.ToleranceBps is < 0 or > BasisPoints)
        {
            return InstructionRejectReason.InvalidBasisPoints;
        }

        if (instruction.Parts < 2 || instruction.BlocksPerPart < 1 || (instruction.StartBlock != 0 && instruction.StartBlock < block) ||
            TwapStart(instruction, block) > long.MaxValue - ((long)(instruction.Parts - 1) * instruction.BlocksPerPart))
        {
            return InstructionRejectReason.InvalidSchedule;
        }

        return InstructionRejectReason.None;
    }

    private InstructionRejectReason ValidateDeltaHedge(in Instruction instruction)
    {
        if (instruction.Band < 0 || instruction.MaxQuantity < 1 || instruction.MaxQuantity > _settings.Market.MaxOrderQuantity)
        {
            return InstructionRejectReason.InvalidQuantity;
        }

        return instruction.ToleranceBps is < 0 or > BasisPoints ? InstructionRejectReason.InvalidBasisPoints : InstructionRejectReason.None;
    }

    private InstructionRejectReason ValidateQuote(in Instruction instruction)
    {
        if (instruction.Quantity < 1 || instruction.Quantity > _settings.Market.MaxOrderQuantity || instruction.MaxPosition < 0)
        {
            return InstructionRejectReason.InvalidQuantity;
        }

        if (instruction.MinHalfSpread < 0 || instruction.MinHalfSpread > _settings.Market.MaxPrice)
        {
            return InstructionRejectReason.InvalidPrice;
        }

        if (instruction.HalfSpreadBps is < 0 or > ushort.MaxValue || instruction.VegaSpreadBps is < 0 or > ushort.MaxValue ||
            instruction.DeltaSpreadBps is < 0 or > ushort.MaxValue)
        {
            return InstructionRejectReason.InvalidBasisPoints;
        }

        return instruction.VegaUnit < 1 || instruction.DeltaUnit < 1 ? InstructionRejectReason.InvalidExposureUnit : InstructionRejectReason.None;
    }

    private static long TwapStart(in Instruction instruction, long block) => instruction.StartBlock != 0 ? instruction.StartBlock : block + 1;

    private InstructionRejectReason ValidateLeg(in InstructionLeg leg, LegType expected)
    {
        if (leg.Type != expected || !Enum.IsDefined(leg.Type) || !Enum.IsDefined(leg.Side))
        {
            return InstructionRejectReason.InvalidType;
        }

        if (leg.Quantity < 1 || leg.Quantity > _settings.Market.MaxOrderQuantity)
        {
            return InstructionRejectReason.InvalidQuantity;
        }

        long maxPrice = _settings.Market.MaxPrice;
        if (leg.Type == LegType.Limit)
        {
            if (leg.StopKind != 0 || leg.LimitPrice != 0 || leg.SlippageBps != 0 || leg.TrailingBps != 0)
            {
                return InstructionRejectReason.InvalidLegs;
            }

            if (leg.Price < 1 || leg.Price > maxPrice)
            {
                return InstructionRejectReason.InvalidPrice;
            }

            return leg.DisplayQuantity < 0 || leg.DisplayQuantity > leg.Quantity ? InstructionRejectReason.InvalidQuantity : InstructionRejectReason.None;
        }

        if (!Enum.IsDefined(leg.StopKind))
        {
            return InstructionRejectReason.InvalidType;
        }

        if (leg.DisplayQuantity != 0 || (leg.Type == LegType.Stop && leg.TrailingBps != 0))
        {
            return InstructionRejectReason.InvalidLegs;
        }

        long minPrice = leg.Type == LegType.Stop ? 1 : 0; // a trailing stop's activation price is optional
        if (leg.Price < minPrice || leg.Price > maxPrice || leg.LimitPrice < 0 || leg.LimitPrice > maxPrice)
        {
            return InstructionRejectReason.InvalidPrice;
        }

        if (leg.SlippageBps is < 0 or > BasisPoints || (leg.Type == LegType.TrailingStop && leg.TrailingBps is < 1 or >= BasisPoints))
        {
            return InstructionRejectReason.InvalidBasisPoints;
        }

        return InstructionRejectReason.None;
    }

    private void Accept(in Instruction instruction, Hash32 id, long block)
    {
        int slot = _freeInstructions[_freeInstructions.Count - 1];
        _freeInstructions.RemoveAt(_freeInstructions.Count - 1);
        int trader = TraderSlot(instruction.Trader);
        _traders[trader].Live++;
        _liveCount++;
        _ids[id] = slot;
        ref InstructionRecord record = ref _instructions[slot];
        record = new InstructionRecord
        {
            Id = id, Trader = instruction.Trader, TraderSlot = trader, Kind = instruction.Kind, Live = true, ExpiryBlock = instruction.ExpiryBlock,
            ReduceOnly = instruction.ReduceOnly,
        };
        switch (instruction.Kind)
        {
            case InstructionKind.Twap:
                record.TwapStart = TwapStart(instruction, block);
                record.Parts = instruction.Parts;
                record.BlocksPerPart = instruction.BlocksPerPart;
                record.ToleranceBps = instruction.ToleranceBps;
                record.TwapLimit = instruction.LimitPrice;
                int twapLeg = AddLeg(ref record, slot, LegRole.Whole, InstructionLeg.Limit(instruction.Side, 0, instruction.Quantity));
                _legs[twapLeg].State = LegState.Scheduled;
                _twapDue.Insert(slot, record.TwapStart);
                break;
            case InstructionKind.DeltaHedge:
            {
                record.ToleranceBps = instruction.ToleranceBps;
                record.Terms = AllocateTerms();
                _exposureInstructions.Add(slot);
                _terms[record.Terms] = new ExposureTerms { TargetDelta = instruction.TargetDelta, Band = instruction.Band };
                // The side is chosen at each release, towards the target.
                FollowExposure(AddLeg(ref record, slot, LegRole.Hedge, InstructionLeg.Limit(Side.Buy, 0, instruction.MaxQuantity)));
                break;
            }

            case InstructionKind.Quote:
            {
                record.Terms = AllocateTerms();
                _exposureInstructions.Add(slot);
                _terms[record.Terms] = new ExposureTerms
                {
                    HalfSpreadBps = instruction.HalfSpreadBps, MinHalfSpread = instruction.MinHalfSpread, VegaSpreadBps = instruction.VegaSpreadBps,
                    VegaUnit = instruction.VegaUnit, DeltaSpreadBps = instruction.DeltaSpreadBps, DeltaUnit = instruction.DeltaUnit, MaxPosition = instruction.MaxPosition,
                };
                FollowExposure(AddLeg(ref record, slot, LegRole.Bid, InstructionLeg.Limit(Side.Buy, 0, instruction.Quantity)));
                FollowExposure(AddLeg(ref record, slot, LegRole.Ask, InstructionLeg.Limit(Side.Sell, 0, instruction.Quantity)));
                break;
            }

            case InstructionKind.Oco:
                Arm(AddLeg(ref record, slot, LegRole.First, instruction.First));
                Arm(AddLeg(ref record, slot, LegRole.Second, instruction.Second));
                break;
            case InstructionKind.Bracket:
            {
                Arm(AddLeg(ref record, slot, LegRole.Entry, instruction.First));
                // AddLeg may grow _legs, so each index is taken before the array is read: `_legs[AddLeg(…)]` would
                // index the array as it was before the growth.
                int takeProfit = AddLeg(ref record, slot, LegRole.TakeProfit, instruction.Second);
                _legs[takeProfit].State = LegState.Idle;
                int stopLoss = AddLeg(ref record, slot, LegRole.StopLoss, instruction.Third);
                _legs[stopLoss].State = LegState.Idle;
                break;
            }
            default:
                Arm(AddLeg(ref record, slot, LegRole.Whole, instruction.First));
                break;
        }

        if (instruction.ExpiryBlock != 0)
        {
            _expiries.Insert(slot, instruction.ExpiryBlock);
        }
    }

    private int AddLeg(ref InstructionRecord record, int slot, LegRole role, in InstructionLeg leg)
    {
        int index = AllocateLeg();
        _legs[index] = new LegRecord
        {
            Instruction = slot, IdPrefix = record.Id.Prefix, Role = role, Type = leg.Type, Side = leg.Side, StopKind = leg.StopKind,
            TriggersFalling = (leg.Side == Side.Sell) == (leg.StopKind == StopKind.StopLoss),
            Price = leg.Price, LimitPrice = leg.LimitPrice, SlippageBps = leg.SlippageBps, TrailingBps = leg.TrailingBps,
            Quantity = leg.Quantity, DisplayQuantity = leg.DisplayQuantity,
        };
        switch (record.LegCount++)
        {
            case 0:
                record.Leg0 = index;
                break;
            case 1:
                record.Leg1 = index;
                break;
            default:
                record.Leg2 = index;
                break;
        }

        return index;
    }

    /// <summary>Puts a new leg where its type starts: a stop watching its trigger, a trailing stop its activation, a limit releasing.</summary>
    private void Arm(int leg)
    {
        ref LegRecord record = ref _legs[leg];
        switch (record.Type)
        {
            case LegType.Stop:
                Watch(leg);
                break;
            case LegType.TrailingStop when record.Price != 0:
                Watch(leg);
                break;
            case LegType.TrailingStop:
                record.State = LegState.AwaitingObservation;
                _awaitingObservation.Add(leg);
                break;
            default:
                StartReleasing(leg);
                break;
        }
    }

    private readonly record struct CancellationEntry(InstructionCancellation Cancellation, InstructionRejectReason Reason);

    private readonly record struct InstructionEntry(Instruction Instruction, Hash32 Id, InstructionRejectReason Reason);
}
