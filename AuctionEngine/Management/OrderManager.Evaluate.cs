using System.Runtime.CompilerServices;
using AuctionEngine.Clearing.Internal;
using AuctionEngine.Management.Internal;
using AuctionEngine.Orders;
using AuctionEngine.Primitives;

namespace AuctionEngine.Management;

public sealed partial class OrderManager
{
    /// <summary>
    /// Step 4 of block <paramref name="block"/>: expiries, then (with a usable oracle) activations, trailing extremes,
    /// triggers, TWAP parts, delta hedges and quotes, then the releases for batch <c>block + 1</c> under the rate limits.
    /// </summary>
    /// <param name="block">The block; after every block evaluated so far.</param>
    /// <param name="observation">This block's oracle observation, if the host has one; the manager keeps the last one given and judges its age every block.</param>
    /// <param name="batchRandomness">The randomness of batch <c>block + 1</c>, mixed into the released orders' priority keys (see <see cref="ManagedOrder"/>).</param>
    /// <remarks>
    /// <para>A closed manager (<see cref="Close"/>) only moves to <paramref name="block"/>: no event, no release, the observation not kept.</para>
    /// <para>Events, in this order:</para>
    /// <list type="number">
    /// <item><description><see cref="ManagementEventKind.Stale"/> when no observation is usable (then only steps 2, 5 and 6 run);</description></item>
    /// <item><description><see cref="ManagementEventKind.Expired"/>: instructions whose expiry block is before <paramref name="block"/> (a bracket's expiry ends its entry only);</description></item>
    /// <item><description><see cref="ManagementEventKind.Activated"/>: trailing stops that start tracking;</description></item>
    /// <item><description><see cref="ManagementEventKind.Triggered"/>, each followed by the <see cref="ManagementEventKind.Cancelled"/> of its OCO sibling
    /// (when both legs of an OCO trigger in one block, the first as signed wins);</description></item>
    /// <item><description><see cref="ManagementEventKind.PartSkipped"/>: TWAP parts due that cannot be released;</description></item>
    /// <item><description><see cref="ManagementEventKind.Released"/> and <see cref="ManagementEventKind.Throttled"/>, then
    /// <see cref="ManagementEventKind.Completed"/> for TWAPs whose last part released nothing.</description></item>
    /// </list>
    /// <para>
    /// Within each, ascending instruction id, then leg; a bracket's exits release in the order they triggered, so the one
    /// that triggered first is sized first; a quote's bid before its ask. Expiry needs no oracle and is judged every block.
    /// Standing limits and triggered stops release at their fixed limits whether or not the oracle is usable.
    /// </para>
    /// <para>
    /// With a usable oracle, a delta hedge whose trader's exposure is known (<see cref="UpdateExposure"/>) and which has
    /// no order outstanding (released and not yet cleared) releases one order when <c>|delta − target| &gt; band</c>:
    /// a sell when the delta is above the target, else a buy, of <c>min(|delta − target|, maxQuantity)</c> lots at the
    /// oracle moved against the trader by its tolerance (as a TWAP part). A quote whose trader's exposure is known and
    /// whose previous pair is not waiting in an uncleared batch releases a bid at <c>F − h</c> (none below 1 tick, or at
    /// a known position of at least <c>maxPosition</c>) and an ask at <c>F + h</c> (none above the market's maximum
    /// price, or at a known position of at most <c>−maxPosition</c>), F the oracle and h its half-spread
    /// (<see cref="Signing.Instruction.Quote"/>). Both release nothing while the oracle is stale.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="block"/> is not after the last evaluated block, or the observation's price is not between 1 and the market's maximum.
    /// </exception>
    public void Evaluate(long block, OracleObservation? observation, Hash32 batchRandomness)
    {
        CheckOpenBlock(block);
        if (observation is { } given && (given.Price < 1 || given.Price > _settings.Market.MaxPrice))
        {
            ThrowHelper.ThrowArgumentOutOfRange_OraclePrice(given.Price, _settings.Market.MaxPrice, nameof(observation));
        }

        if (_closed)
        {
            // Nothing is live and nothing may be released: a closed market's price means nothing any more.
            _lastEvaluatedBlock = block;
            ForgetExpiredIds(block);
            return;
        }

        if (observation is { } kept)
        {
            _oracle = kept;
            _hasOracle = true;
        }

        _lastEvaluatedBlock = block;
        bool usable = _hasOracle && _oracle.PublishedBlock <= block && block - _oracle.PublishedBlock <= _settings.MaxOracleAgeBlocks;
        if (!usable)
        {
            Emit(new ManagementEvent { Kind = ManagementEventKind.Stale, Block = block, OracleBlock = _hasOracle ? _oracle.PublishedBlock : -1 });
        }

        ExpireDue(block);
        _candidates.Clear();
        _newlyReleasing.Clear();
        _twapFinishing.Clear();
        if (usable)
        {
            EvaluateTriggers(block, _oracle.Price);
        }

        ReleaseTwapParts(block, usable);
        if (usable)
        {
            EvaluateExposure(_oracle.Price);
        }

        Release(block, batchRandomness);
        CompactPending();
        ForgetExpiredIds(block);
    }

    private void ExpireDue(long block)
    {
        _scratch.Clear();
        while (_expiries.TopIsAtMost(block - 1))
        {
            _scratch.Add(_expiries.Pop());
        }

        if (_scratch.Count == 0)
        {
            return;
        }

        SortInstructions(_scratch.Span);
        foreach (int slot in _scratch.Span)
        {
            ref InstructionRecord record = ref _instructions[slot];
            if (record.Kind == InstructionKind.Bracket)
            {
                int entry = record.Leg0;
                EndLeg(entry, block);
                record.EntryDone = true;
                if (ProtectedQuantity(record) > 0)
                {
                    Emit(new ManagementEvent { Kind = ManagementEventKind.Expired, Block = block, Instruction = record.Id, Role = LegRole.Entry, Quantity = _legs[entry].Filled });
                    continue;
                }
            }

            Emit(new ManagementEvent { Kind = ManagementEventKind.Expired, Block = block, Instruction = record.Id, Quantity = FilledOf(record) });
            Finish(slot, block);
        }
    }

    private void EvaluateTriggers(long block, long oracle)
    {
        _triggered.Clear();
        _activated.Clear();

        // Tracking trailing stops first update their extremes with this observation, then compare; legs that activate
        // now start tracking after the update, so they cannot trigger in this observation.
        _fallingTrailing.Update(oracle, _triggered);
        _risingTrailing.Update(oracle, _triggered);

        while (_fallingActivations.TopIsAtMost(-oracle))
        {
            _activated.Add(_fallingActivations.Pop());
        }

        while (_risingActivations.TopIsAtMost(oracle))
        {
            _activated.Add(_risingActivations.Pop());
        }

        foreach (int leg in _awaitingObservation.Items)
        {
            _activated.Add(leg);
        }

        _awaitingObservation.Clear();

        Span<int> activated = _activated.Span;
        SortLegs(activated);
        foreach (int leg in activated)
        {
            Track(leg, oracle);
            Emit(new ManagementEvent
            {
                Kind = ManagementEventKind.Activated, Block = block, Instruction = _instructions[_legs[leg].Instruction].Id, Role = _legs[leg].Role, Price = oracle,
            });
        }

        _sortRecords.Clear();
        foreach (int leg in _triggered.Span)
        {
            _sortRecords.Add(new KeyedValue(_legs[leg].IdPrefix, leg));
        }

        // Stops come out of their indexes with their sort keys: a triggered stop's records are first read in id order, below.
        PopStops(_fallingTriggers, -oracle);
        PopStops(_risingTriggers, oracle);
        Span<int> triggered = _triggered.Span;
        ReadOnlySpan<KeyedValue> sortKeys = SortRecordedLegs(triggered);
        for (int i = 0; i < triggered.Length; i++)
        {
            PrefetchAhead(triggered, i);
            int leg = triggered[i];
            ref LegRecord record = ref _legs[leg];
            switch (record.State)
            {
                case LegState.Watching:
                    break; // a stop, already taken out of its index
                case LegState.Tracking:
                    Unindex(leg);
                    break;
                default:
                    continue; // its OCO sibling triggered first in this block and cancelled it
            }

            record.FixedLimit = record.LimitPrice != 0 ? record.LimitPrice : MoveAgainst(record.Side, oracle, record.SlippageBps);
            record.TriggerBlock = block;
            record.State = LegState.Releasing;
            _newlyReleasing.Add(new KeyedValue(sortKeys[i].Key, leg)); // joins the releasing set in Release
            ref InstructionRecord instruction = ref _instructions[record.Instruction];
            Emit(new ManagementEvent { Kind = ManagementEventKind.Triggered, Block = block, Instruction = instruction.Id, Role = record.Role, Price = oracle });
            if (instruction.Kind == InstructionKind.Oco)
            {
                CancelSibling(instruction, leg, block);
            }
        }
    }

    /// <summary>
    /// Prefetches the leg record <see cref="RecordPrefetch.Distance"/> places ahead of <paramref name="i"/>, and the
    /// instruction record of the leg half as far ahead, whose record the first prefetch has brought in by now.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PrefetchAhead(ReadOnlySpan<int> legs, int i)
    {
        if (i + RecordPrefetch.Distance < legs.Length)
        {
            RecordPrefetch.Lines(_legs, legs[i + RecordPrefetch.Distance]);
        }

        if (i + (RecordPrefetch.Distance / 2) < legs.Length)
        {
            RecordPrefetch.Lines(_instructions, _legs[legs[i + (RecordPrefetch.Distance / 2)]].Instruction);
        }
    }

    private void PopStops(TriggerIndex index, long bound)
    {
        while (index.TopIsAtMost(bound))
        {
            int leg = index.Pop(out ulong idPrefix);
            _triggered.Add(leg);
            _sortRecords.Add(new KeyedValue(idPrefix, leg));
        }
    }

    private void CancelSibling(in InstructionRecord instruction, int leg, long block)
    {
        int sibling = instruction.Leg0 == leg ? instruction.Leg1 : instruction.Leg0;
        if (_legs[sibling].State == LegState.Done)
        {
            return;
        }

        EndLeg(sibling, block);
        Emit(new ManagementEvent { Kind = ManagementEventKind.Cancelled, Block = block, Instruction = instruction.Id, Role = _legs[sibling].Role, Cause = CancelCause.OcoSibling });
    }

    /// <summary>The oracle moved against the trader by <paramref name="bps"/>, rounded against the trader and kept in the market's bounds.</summary>
    private long MoveAgainst(Side side, long oracle, int bps) =>
        side == Side.Buy
            ? Math.Min(((oracle * (BasisPoints + bps)) + BasisPoints - 1) / BasisPoints, _settings.Market.MaxPrice)
            : Math.Max(oracle * (BasisPoints - bps) / BasisPoints, 1);

    private void ReleaseTwapParts(long block, bool usable)
    {
        _scratch.Clear();
        while (_twapDue.TopIsAtMost(block))
        {
            _scratch.Add(_twapDue.Pop());
        }

        if (_scratch.Count == 0)
        {
            return;
        }

        SortInstructions(_scratch.Span);
        foreach (int slot in _scratch.Span)
        {
            ref InstructionRecord record = ref _instructions[slot];
            ref LegRecord leg = ref _legs[record.Leg0];

            // Parts whose blocks the host never evaluated are skipped like stale ones: the due part is the latest one.
            int part = (int)Math.Min((block - record.TwapStart) / record.BlocksPerPart, record.Parts - 1);
            record.NextPart = part + 1;
            if (record.NextPart < record.Parts)
            {
                _twapDue.Insert(slot, record.TwapStart + ((long)record.NextPart * record.BlocksPerPart));
            }
            else
            {
                record.LastPartDue = true;
                _twapFinishing.Add(slot);
            }

            long remaining = leg.Quantity - leg.Filled;
            if (!usable || leg.PendingQuantity != 0)
            {
                Emit(new ManagementEvent { Kind = ManagementEventKind.PartSkipped, Block = block, Instruction = record.Id, Part = part });
                continue;
            }

            long normal = CeilDiv(leg.Quantity, record.Parts);
            long size = Math.Min(Math.Min(CeilDiv(remaining, record.Parts - part), 3 * normal), remaining);
            if (size <= 0)
            {
                continue;
            }

            long limit = MoveAgainst(leg.Side, _oracle.Price, record.ToleranceBps);
            if (record.TwapLimit != 0)
            {
                limit = leg.Side == Side.Buy ? Math.Min(limit, record.TwapLimit) : Math.Max(limit, record.TwapLimit);
            }

            leg.PartQuantity = size;
            leg.PartLimit = limit;
            leg.Part = part;
            _candidates.Add(record.Leg0);
        }
    }

    /// <summary>
    /// The delta hedges and quotes with a known exposure: each hedge with nothing outstanding whose delta strays beyond its
    /// band, and each quote whose previous pair has cleared, become release candidates with their size and limit.
    /// </summary>
    private void EvaluateExposure(long oracle)
    {
        foreach (int leg in _exposureLegs.Items)
        {
            ref LegRecord record = ref _legs[leg];
            if (record.Role == LegRole.Ask)
            {
                continue; // its bid prices the pair
            }

            ref InstructionRecord instruction = ref _instructions[record.Instruction];
            ref TraderCounters trader = ref _traders[instruction.TraderSlot];
            if (!trader.HasExposure)
            {
                continue;
            }

            ref ExposureTerms terms = ref _terms[instruction.Terms];
            if (record.Role == LegRole.Hedge)
            {
                OfferHedge(leg, instruction.ToleranceBps, terms, trader.Delta, oracle);
            }
            else
            {
                OfferQuote(leg, instruction.Leg1, terms, trader, oracle);
            }
        }
    }

    private void OfferHedge(int leg, int toleranceBps, in ExposureTerms terms, long delta, long oracle)
    {
        ref LegRecord record = ref _legs[leg];
        Int128 deviation = (Int128)delta - terms.TargetDelta; // a long's difference can need 65 bits
        Int128 distance = Int128.Abs(deviation);
        if (record.PendingQuantity != 0 || distance <= terms.Band)
        {
            return;
        }

        record.Side = deviation > 0 ? Side.Sell : Side.Buy;
        record.PartQuantity = (long)Int128.Min(distance, record.Quantity);
        record.PartLimit = MoveAgainst(record.Side, oracle, toleranceBps);
        _candidates.Add(leg);
    }

    private void OfferQuote(int bid, int ask, in ExposureTerms terms, in TraderCounters trader, long oracle)
    {
        ref LegRecord bidRecord = ref _legs[bid];
        ref LegRecord askRecord = ref _legs[ask];
        if (bidRecord.PendingQuantity != 0 || askRecord.PendingQuantity != 0)
        {
            return; // its pair waits in an interrupted batch
        }

        long maxPrice = _settings.Market.MaxPrice;
        long halfSpread = QuoteSpread.HalfSpread(oracle, terms, trader.Vega, trader.Delta, maxPrice);
        bool limited = trader.HasPosition && terms.MaxPosition != 0;
        if (halfSpread < oracle && !(limited && trader.Position >= terms.MaxPosition))
        {
            bidRecord.PartQuantity = bidRecord.Quantity;
            bidRecord.PartLimit = oracle - halfSpread;
            _candidates.Add(bid);
        }

        if (halfSpread <= maxPrice - oracle && !(limited && trader.Position <= -terms.MaxPosition))
        {
            askRecord.PartQuantity = askRecord.Quantity;
            askRecord.PartLimit = oracle + halfSpread;
            _candidates.Add(ask);
        }
    }

    private static long CeilDiv(long numerator, long denominator) => (numerator + denominator - 1) / denominator;

    private long ProtectedQuantity(in InstructionRecord bracket) =>
        _legs[bracket.Leg0].Filled - _legs[bracket.Leg1].Filled - _legs[bracket.Leg2].Filled;

    private void Release(long block, Hash32 batchRandomness)
    {
        // The candidates with their sort keys: the TWAP parts due, the hedges and quotes, the releasing legs with nothing pending, then the stops
        // that triggered in this block, whose keys came with them out of the trigger index. A stop triggered in this block
        // is never ended in the same block (an OCO's first leg to trigger cancels the other before it is reached), so
        // it joins the releasing set here without its record being read again.
        _sortRecords.Clear();
        foreach (int leg in _candidates.Span)
        {
            _sortRecords.Add(new KeyedValue(_legs[leg].IdPrefix, leg));
        }

        foreach (int leg in _releasing.Items)
        {
            ref LegRecord record = ref _legs[leg];
            if (record.PendingQuantity == 0)
            {
                _candidates.Add(leg);
                _sortRecords.Add(new KeyedValue(record.IdPrefix, leg));
            }
        }

        foreach (KeyedValue triggered in _newlyReleasing.Span)
        {
            _releasing.Add((int)triggered.Value);
            _candidates.Add((int)triggered.Value);
            _sortRecords.Add(triggered);
        }

        Span<int> candidates = _candidates.Span;
        if (candidates.Length > 1)
        {
            SortCandidates(candidates);
        }

        CompactPending(); // expiries and OCO cancellations may have withdrawn orders; the batch's count below reads the list

        long batch = block + 1;
        int releasedThisBatch = ReleasedOrders(batch).Length;
        for (int i = 0; i < candidates.Length; i++)
        {
            PrefetchAhead(candidates, i);
            int candidate = candidates[i];
            ref LegRecord leg = ref _legs[candidate];
            ref InstructionRecord instruction = ref _instructions[leg.Instruction];
            bool sized = instruction.Kind is InstructionKind.Twap or InstructionKind.DeltaHedge or InstructionKind.Quote; // sized by the evaluation
            long quantity = sized ? leg.PartQuantity : ReleasableQuantity(instruction, leg);
            long limit = sized ? leg.PartLimit : leg.Type == LegType.Limit ? leg.Price : leg.FixedLimit;
            int part = instruction.Kind == InstructionKind.Twap ? leg.Part : 0;

            if (quantity > 0 && IsProtective(instruction, leg))
            {
                quantity = Math.Min(quantity, ReducibleQuantity(instruction.TraderSlot, leg.Side));
            }

            if (quantity <= 0)
            {
                continue;
            }

            ref TraderCounters trader = ref _traders[instruction.TraderSlot];
            if (trader.Batch != batch)
            {
                trader.Batch = batch;
                trader.Released = 0;
            }

            if (trader.Released >= _settings.MaxReleasesPerTraderPerBatch || releasedThisBatch >= _settings.MaxReleasesPerBatch)
            {
                Emit(new ManagementEvent
                {
                    Kind = ManagementEventKind.Throttled, Block = block, Instruction = instruction.Id, Role = leg.Role, Quantity = quantity, Batch = batch, Part = part,
                });
                continue;
            }

            trader.Released++;
            releasedThisBatch++;
            long sequence = instruction.NextSequence++;
            var order = Order.Limit(
                ReleaseIds.OrderId(instruction.Id, sequence), instruction.Trader, leg.Side, limit, quantity, ReleaseIds.PriorityKey(instruction.Id, sequence, batchRandomness));
            AddPending(new ManagedOrder { Order = order, Instruction = instruction.Id, Kind = instruction.Kind, Role = leg.Role, ReduceOnly = instruction.ReduceOnly,
                ReleaseSequence = sequence, Batch = batch }, candidate);
            leg.PendingQuantity = quantity;
            Emit(new ManagementEvent
            {
                Kind = ManagementEventKind.Released, Block = block, Instruction = instruction.Id, Role = leg.Role, OrderId = order.Id, Side = leg.Side,
                Price = limit, Quantity = quantity, Batch = batch, Part = part,
            });
        }

        // A TWAP whose last part released nothing is done now; one whose last part is out completes when its batch clears.
        Span<int> finishing = _twapFinishing.Span;
        foreach (int slot in finishing)
        {
            if (_instructions[slot].Live && _legs[_instructions[slot].Leg0].PendingQuantity == 0)
            {
                Complete(slot, block);
            }
        }
    }

    /// <summary>What a releasing leg offers this batch.</summary>
    private long ReleasableQuantity(in InstructionRecord instruction, in LegRecord leg)
    {
        long remaining = leg.Quantity - leg.Filled;
        if (instruction.Kind == InstructionKind.Bracket && leg.Role != LegRole.Entry)
        {
            // An exit protects only what the entry has filled and is not yet closed, less what the other exit already offers.
            int other = leg.Role == LegRole.TakeProfit ? instruction.Leg2 : instruction.Leg1;
            return ProtectedQuantity(instruction) - _legs[other].PendingQuantity;
        }

        return leg.Type == LegType.Limit && leg.DisplayQuantity != 0 ? Math.Min(leg.DisplayQuantity, remaining) : remaining;
    }

    /// <summary>Sorts the legs to release by (instruction id, role); a bracket's exits then go in the order they triggered.</summary>
    private void SortCandidates(Span<int> legs)
    {
        ReadOnlySpan<KeyedValue> sortKeys = SortRecordedLegs(legs);
        for (int i = 0; i + 1 < legs.Length; i++)
        {
            if (sortKeys[i].Key != sortKeys[i + 1].Key)
            {
                continue; // not one instruction's legs
            }

            ref LegRecord a = ref _legs[legs[i]];
            ref LegRecord b = ref _legs[legs[i + 1]];
            if (a.Instruction == b.Instruction && a.Role == LegRole.TakeProfit && b.Role == LegRole.StopLoss && b.TriggerBlock < a.TriggerBlock)
            {
                (legs[i], legs[i + 1]) = (legs[i + 1], legs[i]);
            }
        }
    }
}
