using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Tessera.Node.Storage.Migrations;

/// <summary>Private objects and access requests. Hand-written and provider-neutral, like <see cref="M001_Accounts"/>.</summary>
[DbContext(typeof(NodeDbContext))]
[Migration("20261121000003_Objects")]
internal sealed class M003_Objects : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var sqlite = ActiveProvider?.Contains("Sqlite", StringComparison.Ordinal) == true;
        migrationBuilder.CreateTable(
            name: "objects",
            columns: table => new
            {
                Id = table.Column<string>(maxLength: 32, nullable: false),
                DType = table.Column<string>(maxLength: 16, nullable: false),
                Shape = table.Column<string>(maxLength: 200, nullable: false),
                DatasetIds = table.Column<string>(maxLength: 2000, nullable: false),
                BlobSha256 = table.Column<string>(maxLength: 64, nullable: false),
                CreatedBy = table.Column<string>(maxLength: 32, nullable: false),
                CreatedAt = sqlite ? table.Column<long>(nullable: false) : table.Column<DateTimeOffset>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_objects", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_objects_CreatedBy", table: "objects", column: "CreatedBy");

        migrationBuilder.CreateTable(
            name: "access_requests",
            columns: table => new
            {
                Id = table.Column<string>(maxLength: 32, nullable: false),
                ObjectId = table.Column<string>(maxLength: 32, nullable: false),
                RequesterId = table.Column<string>(maxLength: 32, nullable: false),
                Reason = table.Column<string>(maxLength: 1000, nullable: false),
                Status = table.Column<string>(maxLength: 16, nullable: false),
                DecisionReason = table.Column<string>(maxLength: 1000, nullable: true),
                DecidedBy = table.Column<string>(maxLength: 32, nullable: true),
                CreatedAt = sqlite ? table.Column<long>(nullable: false) : table.Column<DateTimeOffset>(nullable: false),
                DecidedAt = sqlite ? table.Column<long>(nullable: true) : table.Column<DateTimeOffset>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_access_requests", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_access_requests_ObjectId_RequesterId", table: "access_requests", columns: ["ObjectId", "RequesterId"]);
        migrationBuilder.CreateIndex(name: "IX_access_requests_Status", table: "access_requests", column: "Status");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "access_requests");
        migrationBuilder.DropTable(name: "objects");
    }
}
