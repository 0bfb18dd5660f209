using Microsoft.EntityFrameworkCore;

namespace Tessera.Node.Objects;

/// <summary>The EF Core mapping of private objects and access requests (created by migration M003_Objects).</summary>
internal static class ObjectsModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ObjectRecord>(e =>
        {
            e.ToTable("objects");
            e.HasKey(o => o.Id);
            e.Property(o => o.Id).HasMaxLength(32);
            e.Property(o => o.DType).HasMaxLength(16);
            e.Property(o => o.Shape).HasMaxLength(200);
            e.Property(o => o.DatasetIds).HasMaxLength(2000);
            e.Property(o => o.BlobSha256).HasMaxLength(64);
            e.Property(o => o.CreatedBy).HasMaxLength(32);
            e.HasIndex(o => o.CreatedBy);
        });
        modelBuilder.Entity<AccessRequestRecord>(e =>
        {
            e.ToTable("access_requests");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasMaxLength(32);
            e.Property(r => r.ObjectId).HasMaxLength(32);
            e.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(r => r.RequesterId).HasMaxLength(32);
            e.Property(r => r.Reason).HasMaxLength(1000);
            e.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(r => r.DecisionReason).HasMaxLength(1000);
            e.Property(r => r.DecidedBy).HasMaxLength(32);
            e.HasIndex(r => new { r.ObjectId, r.RequesterId });
            e.HasIndex(r => r.Status);
        });
    }
}
