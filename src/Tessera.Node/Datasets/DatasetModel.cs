using Microsoft.EntityFrameworkCore;

namespace Tessera.Node.Datasets;

/// <summary>The EF Core mapping of the dataset tables (created by migration M002_Datasets).</summary>
internal static class DatasetModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DatasetRecord>(e =>
        {
            e.ToTable("datasets");
            e.HasKey(d => d.Id);
            e.Property(d => d.Id).HasMaxLength(32);
            e.Property(d => d.Name).HasMaxLength(128);
            e.Property(d => d.Description).HasMaxLength(4000);
            e.Property(d => d.Format).HasConversion<string>().HasMaxLength(16);
            e.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(d => d.ContentSha256).HasMaxLength(64);
            e.Property(d => d.ContentRequestId).HasMaxLength(64);
            e.Property(d => d.MockSha256).HasMaxLength(64);
            e.Property(d => d.MockRequestId).HasMaxLength(64);
            e.Property(d => d.CreatedBy).HasMaxLength(32);
            e.Property(d => d.Revision).IsConcurrencyToken();
            e.HasIndex(d => d.Status);
        });
        modelBuilder.Entity<DatasetTagRecord>(e =>
        {
            e.ToTable("dataset_tags");
            e.HasKey(t => new { t.DatasetId, t.Tag });
            e.Property(t => t.DatasetId).HasMaxLength(32);
            e.Property(t => t.Tag).HasMaxLength(32);
            e.HasIndex(t => t.Tag);
        });
        modelBuilder.Entity<DatasetReaderRecord>(e =>
        {
            e.ToTable("dataset_readers");
            e.HasKey(r => new { r.DatasetId, r.UserId });
            e.Property(r => r.DatasetId).HasMaxLength(32);
            e.Property(r => r.UserId).HasMaxLength(32);
            e.HasIndex(r => r.UserId);
        });
    }
}
