namespace AuctionEngine.Perpetuals;

/// <summary>The verdict on one order: whether it goes into the batch, and with how many lots.</summary>
/// <param name="Status">Admitted, cut down, or why not.</param>
/// <param name="Quantity">The lots to put in the batch: the order's quantity, less for a cut reduce-only order, 0 when refused.</param>
public readonly record struct OrderAdmission(AdmissionStatus Status, long Quantity)
{
    /// <summary>Whether the order goes into the batch.</summary>
    public bool IsAdmitted => Status is AdmissionStatus.Admitted or AdmissionStatus.Reduced;
}
