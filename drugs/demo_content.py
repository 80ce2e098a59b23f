"""Demo content for the load_demo command: real cancer drugs, their classes and companies.

Pure data, no Django imports. The first drug, Pomalyst, reproduces the source monograph word for
word; the other monographs are plain-language summaries of public information (prescribing
information, FDA announcements and manufacturers' sites) written for this demo. Assistance
programs are keyed on (company, name) when loaded, so a program shared by several drugs appears
with identical fields each time.
"""

DRUG_CLASSES = [
    {
        "name": "Immunotherapy Medications",
        "slug": "immunotherapy-medications",
        "description": (
            "Immunotherapy medications help the body's own immune system find and attack cancer. "
            "The group includes checkpoint inhibitors, which release the brakes that tumors put on "
            "immune cells; immunomodulatory drugs related to thalidomide; and antibodies that mark "
            "cancer cells or link them directly to T cells. Their side effects often come from an "
            "overactive immune response and can affect almost any organ."
        ),
    },
    {
        "name": "Targeted Therapy Medications",
        "slug": "targeted-therapy-medications",
        "description": (
            "Targeted therapies act on specific genes, proteins or signals that help cancer cells "
            "grow and survive. Many are daily pills that switch off overactive enzymes (kinase "
            "inhibitors), while others are antibodies that latch onto receptors on tumor cells or "
            "cut off a tumor's blood supply. Because they aim at particular features, the tumor "
            "usually has to be tested before treatment starts."
        ),
    },
    {
        "name": "Hormone Therapy Medications",
        "slug": "hormone-therapy-medications",
        "description": (
            "Many breast and prostate cancers use hormones such as estrogen or testosterone as "
            "fuel. Hormone therapy medications either lower the amount of these hormones in the "
            "body or stop them from reaching cancer cells. They are often taken for months or "
            "years, and their side effects can resemble menopause or low testosterone."
        ),
    },
    {
        "name": "Chemotherapy Medications",
        "slug": "chemotherapy-medications",
        "description": (
            "Chemotherapy medications kill cells that divide quickly, as most cancer cells do. "
            "They are among the oldest cancer treatments and are often combined with one another "
            "or with newer drugs. Because some healthy cells also divide quickly, typical side "
            "effects include hair loss, mouth sores, nausea and low blood counts."
        ),
    },
    {
        "name": "Antibody-Drug Conjugates",
        "slug": "antibody-drug-conjugates",
        "description": (
            "Antibody-drug conjugates (ADCs) join a targeting antibody to a potent cell-killing "
            "drug. The antibody seeks out a protein found on cancer cells and carries the payload "
            "straight to them, so toxins too harsh to give on their own can be used. Side effects "
            "reflect both the antibody's target and the chemotherapy it carries."
        ),
    },
    {
        "name": "Supportive Care Medications",
        "slug": "supportive-care-medications",
        "description": (
            "Supportive care medications do not attack the cancer itself. Instead they prevent or "
            "ease complications of the disease and side effects of treatment, for example by "
            "protecting bones, raising blood counts or controlling nausea. They help people stay "
            "on their main cancer treatment and feel better day to day."
        ),
    },
]

COMPANIES = [
    {
        "name": "Bristol Myers Squibb",
        "slug": "bristol-myers-squibb",
        "website": "https://www.bms.com/",
    },
    {"name": "Celgene", "slug": "celgene", "website": "https://www.celgene.com/"},
    {"name": "Merck", "slug": "merck", "website": "https://www.merck.com/"},
    {"name": "Janssen Biotech", "slug": "janssen-biotech", "website": "https://www.janssen.com/"},
    {"name": "Pfizer", "slug": "pfizer", "website": "https://www.pfizer.com/"},
    {"name": "Genentech", "slug": "genentech", "website": "https://www.gene.com/"},
    {"name": "Novartis", "slug": "novartis", "website": "https://www.novartis.com/"},
    {"name": "AstraZeneca", "slug": "astrazeneca", "website": "https://www.astrazeneca.com/"},
    {"name": "Pharmacyclics", "slug": "pharmacyclics", "website": "https://www.pharmacyclics.com/"},
    {
        "name": "Daiichi Sankyo",
        "slug": "daiichi-sankyo",
        "website": "https://www.daiichisankyo.com/",
    },
    {"name": "Astellas Pharma", "slug": "astellas-pharma", "website": "https://www.astellas.com/"},
    {"name": "AbbVie", "slug": "abbvie", "website": "https://www.abbvie.com/"},
    {
        "name": "Hikma Pharmaceuticals",
        "slug": "hikma-pharmaceuticals",
        "website": "https://www.hikma.com/",
    },
    {
        "name": "Eli Lilly and Company",
        "slug": "eli-lilly-and-company",
        "website": "https://www.lilly.com/",
    },
    {"name": "Oncopeptides", "slug": "oncopeptides", "website": "https://www.oncopeptides.com/"},
    {"name": "Amgen", "slug": "amgen", "website": "https://www.amgen.com/"},
]

CANCER_TYPES = [
    {"name": "Multiple myeloma", "slug": "multiple-myeloma"},
    {"name": "Kaposi sarcoma", "slug": "kaposi-sarcoma"},
    {"name": "Breast cancer", "slug": "breast-cancer"},
    {"name": "Lung cancer", "slug": "lung-cancer"},
    {"name": "Melanoma", "slug": "melanoma"},
    {"name": "Kidney cancer", "slug": "kidney-cancer"},
    {"name": "Bladder cancer", "slug": "bladder-cancer"},
    {"name": "Head and neck cancer", "slug": "head-and-neck-cancer"},
    {"name": "Hodgkin lymphoma", "slug": "hodgkin-lymphoma"},
    {"name": "Non-Hodgkin lymphoma", "slug": "non-hodgkin-lymphoma"},
    {"name": "Colorectal cancer", "slug": "colorectal-cancer"},
    {"name": "Stomach cancer", "slug": "stomach-cancer"},
    {"name": "Cervical cancer", "slug": "cervical-cancer"},
    {"name": "Liver cancer", "slug": "liver-cancer"},
    {"name": "Ovarian cancer", "slug": "ovarian-cancer"},
    {"name": "Pancreatic cancer", "slug": "pancreatic-cancer"},
    {"name": "Prostate cancer", "slug": "prostate-cancer"},
    {"name": "Brain tumors", "slug": "brain-tumors"},
    {"name": "Chronic myeloid leukemia", "slug": "chronic-myeloid-leukemia"},
    {"name": "Acute lymphoblastic leukemia", "slug": "acute-lymphoblastic-leukemia"},
    {"name": "Chronic lymphocytic leukemia", "slug": "chronic-lymphocytic-leukemia"},
    {"name": "Gastrointestinal stromal tumor", "slug": "gastrointestinal-stromal-tumor"},
    {"name": "Myelodysplastic syndromes", "slug": "myelodysplastic-syndromes"},
    {"name": "Waldenström macroglobulinemia", "slug": "waldenstrom-macroglobulinemia"},
    {"name": "Giant cell tumor of bone", "slug": "giant-cell-tumor-of-bone"},
]

DRUGS = [
    {
        "brand_name": "Pomalyst",
        "slug": "pomalyst",
        "generic_name": "pomalidomide",
        "other_names": ["CC-4047"],
        "pronunciation": "poe-MAL-ist",
        "drug_classes": ["Immunotherapy Medications"],
        "companies": ["Bristol Myers Squibb", "Celgene"],
        "cancer_types": ["Multiple myeloma", "Kaposi sarcoma"],
        "approval_status": "approved",
        "first_approved_year": 2013,
        "generic_available": "no",
        "indication": (
            "Pomalyst is an immunomodulator approved for multiple myeloma and Kaposi sarcoma."
        ),
        "general_info": (
            "Pomalyst is an immunomodulatory drug related to thalidomide. It boosts immune "
            "function by stimulating T-cell and natural killer cell activity. In addition, it "
            "inhibits the growth of cancer cells and blocks development of blood vessels that feed "
            "tumors.\n\n"
            "Clinical trials showed that Pomalyst plus dexamethasone slows progression of multiple "
            "myeloma. Study 12-C-0047 showed that 67% of HIV-positive people with AIDS-related "
            "Kaposi sarcoma and 80% of HIV-negative people experienced complete or partial "
            "remission of lesions. Pomalyst was first approved in 2013."
        ),
        "dosage": (
            "Pomalyst is a capsule taken once daily for three weeks, followed by one week off, "
            "until disease progression occurs."
        ),
        "side_effects": (
            "Common adverse reactions include fatigue, weakness, constipation, nausea, diarrhea, "
            "rash, shortness of breath, back pain and fever. It can cause depletion of white blood "
            "cells (neutropenia), red blood cells (anemia) and platelets (thrombocytopenia) low "
            "white blood cell counts (neutropenia), which can lead to infections, fatigue and easy "
            "bleeding. Potential severe side effects include deep vein thrombosis (blood clots), "
            "pulmonary embolism, heart attack, stroke, liver problems, severe skin reactions and "
            "tumor lysis syndrome (metabolic abnormalities that can occur when many cancer cells "
            "are killed at once). Like thalidomide, Pomalyst can cause severe birth defects if "
            "used during pregnancy, and people of childbearing potential must use reliable "
            "contraception."
        ),
        "more_info_url": "https://www.pomalyst.com",
        "last_reviewed": "2020-05-19",
        "assistance_programs": [
            {
                "company": "Bristol Myers Squibb",
                "kind": "copay",
                "name": "BMS Access Support Co-Pay Program",
                "url": "https://www.celgenepatientsupport.com/",
                "phone": "",
                "notes": "",
            },
            {
                "company": "Bristol Myers Squibb",
                "kind": "patient_assistance",
                "name": "Bristol Myers Squibb Patient Assistance Foundation",
                "url": "https://www.celgenepatientsupport.com/",
                "phone": "",
                "notes": "",
            },
        ],
    },
    {
        "brand_name": "Keytruda",
        "slug": "keytruda",
        "generic_name": "pembrolizumab",
        "other_names": ["MK-3475", "lambrolizumab"],
        "pronunciation": "key-TROO-duh",
        "drug_classes": ["Immunotherapy Medications"],
        "companies": ["Merck"],
        "cancer_types": [
            "Melanoma",
            "Lung cancer",
            "Head and neck cancer",
            "Hodgkin lymphoma",
            "Non-Hodgkin lymphoma",
            "Bladder cancer",
            "Kidney cancer",
            "Cervical cancer",
            "Breast cancer",
            "Stomach cancer",
            "Colorectal cancer",
        ],
        "approval_status": "approved",
        "first_approved_year": 2014,
        "generic_available": "no",
        "indication": (
            "Keytruda is a PD-1 checkpoint inhibitor approved for a long and growing list of "
            "cancers, including melanoma, non-small cell lung cancer, head and neck cancer, "
            "classical Hodgkin lymphoma, bladder and kidney cancer, cervical cancer, "
            "triple-negative breast cancer, stomach cancer, and solid tumors with certain genetic "
            "features such as high microsatellite instability (MSI-H)."
        ),
        "general_info": (
            "Keytruda (pembrolizumab) is a monoclonal antibody that blocks PD-1, a checkpoint "
            "receptor on T cells. Many tumors use PD-1 as an off switch to dampen immune attacks; "
            "by blocking it, Keytruda lets T cells recognize and destroy cancer cells again.\n\n"
            "It first reached the market in 2014 through accelerated approval for advanced "
            "melanoma that had stopped responding to other treatment. Since then it has been "
            "approved, alone or with chemotherapy or other drugs, for well over a dozen types of "
            "cancer, sometimes before or after surgery to lower the chance that the cancer comes "
            "back. Some uses require a test showing that the tumor makes PD-L1 or carries a "
            "specific biomarker."
        ),
        "dosage": (
            "Keytruda is given as an intravenous (IV) infusion over about 30 minutes, either every "
            "three weeks or every six weeks for adults. Depending on the use, treatment continues "
            "until the cancer grows or side effects become too severe, or for a set period, often "
            "up to two years."
        ),
        "side_effects": (
            "Common side effects include:\n\n"
            "- fatigue\n"
            "- muscle, bone and joint pain\n"
            "- rash and itching\n"
            "- diarrhea, nausea and decreased appetite\n"
            "- cough and shortness of breath\n\n"
            "Because Keytruda releases the brakes on the immune system, it can cause "
            "**immune-mediated reactions** in which immune cells attack healthy organs. These "
            "include inflammation of the lungs (pneumonitis), colon (colitis), liver (hepatitis), "
            "kidneys and skin, and problems with hormone glands such as the thyroid, adrenal "
            "glands, pituitary and pancreas (type 1 diabetes). Some reactions are serious and may "
            "appear months after treatment ends, so new symptoms should be reported promptly."
        ),
        "more_info_url": "https://www.keytruda.com/",
        "last_reviewed": "2026-09-14",
        "assistance_programs": [
            {
                "company": "Merck",
                "kind": "copay",
                "name": "Merck Access Program",
                "url": "https://www.merckaccessprogram-keytruda.com/",
                "phone": "",
                "notes": (
                    "Helps with insurance benefit checks and prior authorizations, and offers "
                    "co-pay assistance to eligible commercially insured patients."
                ),
            },
            {
                "company": "Merck",
                "kind": "patient_assistance",
                "name": "Merck Patient Assistance Program",
                "url": "https://www.merckhelps.com/",
                "phone": "1-800-727-5400",
                "notes": (
                    "Provides Merck medicines free of charge to eligible people without insurance "
                    "or with financial hardship."
                ),
            },
        ],
    },
    {
        "brand_name": "Opdivo",
        "slug": "opdivo",
        "generic_name": "nivolumab",
        "other_names": ["BMS-936558", "MDX-1106", "ONO-4538"],
        "pronunciation": "op-DEE-voh",
        "drug_classes": ["Immunotherapy Medications"],
        "companies": ["Bristol Myers Squibb"],
        "cancer_types": [
            "Melanoma",
            "Lung cancer",
            "Kidney cancer",
            "Hodgkin lymphoma",
            "Head and neck cancer",
            "Bladder cancer",
            "Liver cancer",
            "Colorectal cancer",
            "Stomach cancer",
        ],
        "approval_status": "approved",
        "first_approved_year": 2014,
        "generic_available": "no",
        "indication": (
            "Opdivo is a PD-1 checkpoint inhibitor approved for many cancers, including melanoma, "
            "non-small cell lung cancer, mesothelioma, kidney cancer, classical Hodgkin lymphoma, "
            "head and neck cancer, bladder cancer, liver cancer, colorectal cancer with high "
            "microsatellite instability or mismatch repair deficiency, and cancers of the "
            "esophagus and stomach."
        ),
        "general_info": (
            "Opdivo (nivolumab) is an antibody that binds the PD-1 receptor on T cells and blocks "
            "the signal tumors use to shut down immune responses. It was developed by Bristol "
            "Myers Squibb together with Ono Pharmaceutical and was first approved in the United "
            "States in December 2014 for advanced melanoma.\n\n"
            "Opdivo may be used alone, together with the CTLA-4 blocker Yervoy (ipilimumab), or "
            "with chemotherapy or targeted drugs. In several cancers it is also given before or "
            "after surgery to reduce the risk that the disease returns."
        ),
        "dosage": (
            "Opdivo is infused into a vein over about 30 minutes, usually every two or every four "
            "weeks depending on the dose. When it is combined with Yervoy, a different schedule is "
            "used for the first few months. Treatment continues until the cancer progresses, side "
            "effects become too severe, or a planned course is complete."
        ),
        "side_effects": (
            "The most frequent side effects are fatigue, rash, itching, diarrhea, nausea, muscle "
            "and joint pain, and cough.\n\n"
            "Opdivo can also trigger **immune-mediated inflammation** of healthy tissues, "
            "including the lungs, bowel, liver, kidneys, skin and hormone-producing glands such as "
            "the thyroid and pituitary. Infusion reactions and complications after a donor stem "
            "cell transplant can also occur. Side effects tend to be more frequent and more severe "
            "when Opdivo is combined with Yervoy."
        ),
        "more_info_url": "https://www.opdivo.com/",
        "last_reviewed": "2026-06-02",
        "assistance_programs": [
            {
                "company": "Bristol Myers Squibb",
                "kind": "copay",
                "name": "BMS Access Support",
                "url": "https://www.bmsaccesssupport.com/",
                "phone": "",
                "notes": (
                    "Benefit checks, prior authorization help and co-pay assistance for eligible "
                    "commercially insured patients; can refer uninsured patients to the Bristol "
                    "Myers Squibb Patient Assistance Foundation."
                ),
            },
        ],
    },
    {
        "brand_name": "Revlimid",
        "slug": "revlimid",
        "generic_name": "lenalidomide",
        "other_names": ["CC-5013"],
        "pronunciation": "rev-LIM-id",
        "drug_classes": ["Immunotherapy Medications"],
        "companies": ["Bristol Myers Squibb", "Celgene"],
        "cancer_types": ["Multiple myeloma", "Myelodysplastic syndromes", "Non-Hodgkin lymphoma"],
        "approval_status": "approved",
        "first_approved_year": 2005,
        "generic_available": "yes",
        "indication": (
            "Revlimid is an immunomodulatory drug approved for multiple myeloma, for "
            "myelodysplastic syndromes (MDS) with a deletion 5q chromosome change, and for several "
            "types of non-Hodgkin lymphoma, including mantle cell, follicular and marginal zone "
            "lymphoma."
        ),
        "general_info": (
            "Revlimid (lenalidomide) is a chemical relative of thalidomide that is more potent and "
            "has a different side effect profile. It works in several ways at once: it strengthens "
            "the activity of T cells and natural killer cells, directly slows the growth of cancer "
            "cells, and interferes with the blood vessels that tumors depend on.\n\n"
            "It was first approved in 2005 for a form of MDS that causes transfusion-dependent "
            "anemia, and in 2006 for multiple myeloma together with dexamethasone. Today it is "
            "widely used both to treat active myeloma and as long-term maintenance therapy after a "
            "stem cell transplant. Generic lenalidomide entered the US market in 2022, at first in "
            "limited quantities."
        ),
        "dosage": (
            "Revlimid is a capsule taken by mouth once a day. For active multiple myeloma it is "
            "usually taken on days 1 to 21 of each 28-day cycle; maintenance therapy and other "
            "uses follow different schedules. Because of the risk of birth defects, it can be "
            "prescribed and dispensed only through a restricted safety program."
        ),
        "side_effects": (
            "Common side effects include:\n\n"
            "- low white blood cell and platelet counts\n"
            "- fatigue and weakness\n"
            "- diarrhea or constipation\n"
            "- muscle cramps, back pain and swollen legs\n"
            "- rash and itching\n"
            "- colds and other upper respiratory infections\n\n"
            "Revlimid raises the risk of **blood clots** in the legs and lungs, as well as heart "
            "attack and stroke, so many people take aspirin or another blood thinner with it. "
            "Other serious risks include severe skin reactions, liver damage, tumor lysis syndrome "
            "and a higher chance of a second cancer. Like thalidomide, it must never be taken "
            "during pregnancy."
        ),
        "more_info_url": "https://www.revlimid.com/",
        "last_reviewed": "2025-08-21",
        "assistance_programs": [
            {
                "company": "Bristol Myers Squibb",
                "kind": "copay",
                "name": "BMS Access Support Co-Pay Program",
                "url": "https://www.celgenepatientsupport.com/",
                "phone": "",
                "notes": "",
            },
            {
                "company": "Bristol Myers Squibb",
                "kind": "patient_assistance",
                "name": "Bristol Myers Squibb Patient Assistance Foundation",
                "url": "https://www.celgenepatientsupport.com/",
                "phone": "",
                "notes": "",
            },
        ],
    },
    {
        "brand_name": "Darzalex",
        "slug": "darzalex",
        "generic_name": "daratumumab",
        "other_names": ["Darzalex Faspro", "HuMax-CD38", "JNJ-54767414"],
        "pronunciation": "dar-ZAL-ex",
        "drug_classes": ["Immunotherapy Medications", "Targeted Therapy Medications"],
        "companies": ["Janssen Biotech"],
        "cancer_types": ["Multiple myeloma"],
        "approval_status": "approved",
        "first_approved_year": 2015,
        "generic_available": "no",
        "indication": (
            "Darzalex is an anti-CD38 antibody approved for multiple myeloma, both for people who "
            "are newly diagnosed (whether or not they can have a stem cell transplant) and for "
            "people whose myeloma has come back or stopped responding to other treatment."
        ),
        "general_info": (
            "Darzalex (daratumumab) is a monoclonal antibody that attaches to CD38, a protein "
            "found in large amounts on myeloma cells. Once attached, it flags the cells for "
            "destruction by the immune system and can also trigger their death directly. It was "
            "discovered by Genmab and is marketed by Janssen.\n\n"
            "The FDA first approved Darzalex in 2015, on its own, for heavily pretreated myeloma. "
            "It is now mostly used in combination with other myeloma drugs such as lenalidomide, "
            "bortezomib, pomalidomide or carfilzomib plus dexamethasone. A form injected under the "
            "skin, Darzalex Faspro, was approved in 2020 and takes only a few minutes to give."
        ),
        "dosage": (
            "Darzalex is given by IV infusion, and Darzalex Faspro by injection under the skin of "
            "the abdomen. Doses are given weekly at first, then every two weeks, and later every "
            "four weeks. Steroids, an antihistamine and acetaminophen are given beforehand to "
            "lower the risk of reactions."
        ),
        "side_effects": (
            "The most common side effects are infusion-related reactions, which mostly happen with "
            "the first dose and can cause a stuffy nose, cough, throat tightness, chills or "
            "shortness of breath. Fatigue, nausea, diarrhea, back pain, fever, upper respiratory "
            "infections and low blood counts are also common.\n\n"
            "Darzalex interferes with the blood-bank tests used to match blood for transfusions, "
            "so patients have their blood typed and screened before starting. Serious infections, "
            "including reactivation of hepatitis B, can also occur."
        ),
        "more_info_url": "https://www.darzalex.com/",
        "last_reviewed": "2026-02-10",
        "assistance_programs": [
            {
                "company": "Janssen Biotech",
                "kind": "copay",
                "name": "Janssen CarePath",
                "url": "https://www.janssencarepath.com/",
                "phone": "",
                "notes": (
                    "Insurance support and a savings program that lowers out-of-pocket costs for "
                    "eligible commercially insured patients."
                ),
            },
            {
                "company": "Janssen Biotech",
                "kind": "foundation",
                "name": "Johnson & Johnson Patient Assistance Foundation",
                "url": "https://www.jjpaf.org/",
                "phone": "1-800-652-6227",
                "notes": (
                    "Independent nonprofit that provides donated medicines to eligible people "
                    "without adequate insurance."
                ),
            },
        ],
    },
    {
        "brand_name": "Elrexfio",
        "slug": "elrexfio",
        "generic_name": "elranatamab-bcmm",
        "other_names": ["PF-06863135", "elranatamab"],
        "pronunciation": "",
        "drug_classes": ["Immunotherapy Medications"],
        "companies": ["Pfizer"],
        "cancer_types": ["Multiple myeloma"],
        "approval_status": "accelerated",
        "first_approved_year": 2023,
        "generic_available": "no",
        "indication": (
            "Elrexfio is a bispecific antibody approved for adults with relapsed or refractory "
            "multiple myeloma who have already had at least four prior lines of therapy, including "
            "a proteasome inhibitor, an immunomodulatory drug and an anti-CD38 antibody."
        ),
        "general_info": (
            "Elrexfio (elranatamab) is a bispecific T-cell engager. One arm of the antibody grabs "
            "BCMA, a protein on myeloma cells, while the other grabs CD3 on T cells; by bringing "
            "the two together, it directs the patient's own T cells to kill the myeloma cells. "
            "Unlike CAR T-cell therapy, it is an off-the-shelf drug that does not have to be made "
            "from each patient's cells.\n\n"
            "The FDA granted Elrexfio accelerated approval in August 2023 based on the "
            "MagnetisMM-3 trial, in which more than half of patients who had not had an earlier "
            "BCMA-directed treatment responded. Continued approval depends on the results of "
            "confirmatory trials."
        ),
        "dosage": (
            "Elrexfio is injected under the skin. Treatment starts with two smaller step-up doses "
            "in the first week, and patients stay in the hospital for monitoring after each of "
            "them because of the risk of cytokine release syndrome. After that, the full dose is "
            "given once a week, and people who respond well may later move to every two weeks."
        ),
        "side_effects": (
            "Common side effects include cytokine release syndrome (fever, chills, low blood "
            "pressure, fast heartbeat), fatigue, injection-site reactions, diarrhea, muscle and "
            "bone pain, decreased appetite, rash, cough, nausea and upper respiratory "
            "infections.\n\n"
            "Elrexfio carries a **boxed warning** for cytokine release syndrome and for neurologic "
            "toxicity, including immune effector cell-associated neurotoxicity syndrome (ICANS), "
            "which can cause confusion, trouble speaking or seizures. Serious infections, low "
            "white blood cell counts and liver problems can also occur, and the drug is available "
            "only through a restricted safety program."
        ),
        "more_info_url": "https://www.elrexfio.com/",
        "last_reviewed": "2024-04-18",
        "assistance_programs": [
            {
                "company": "Pfizer",
                "kind": "copay",
                "name": "Pfizer Oncology Together",
                "url": "https://www.pfizeroncologytogether.com/",
                "phone": "1-877-744-5675",
                "notes": (
                    "Personal support plus co-pay savings for eligible commercially insured "
                    "patients; can also connect people with limited coverage to free-medicine "
                    "programs."
                ),
            },
        ],
    },
    {
        "brand_name": "Herceptin",
        "slug": "herceptin",
        "generic_name": "trastuzumab",
        "other_names": ["Herceptin Hylecta", "rhuMAb HER2"],
        "pronunciation": "her-SEP-tin",
        "drug_classes": ["Targeted Therapy Medications"],
        "companies": ["Genentech"],
        "cancer_types": ["Breast cancer", "Stomach cancer"],
        "approval_status": "approved",
        "first_approved_year": 1998,
        "generic_available": "biosimilar",
        "indication": (
            "Herceptin is a HER2-targeted antibody approved for HER2-positive breast cancer, both "
            "early-stage and metastatic, and for HER2-positive metastatic cancer of the stomach or "
            "gastroesophageal junction."
        ),
        "general_info": (
            "About one in five breast cancers makes too much of a growth-signaling protein called "
            "HER2. Herceptin (trastuzumab) is a monoclonal antibody that binds to HER2, blocking "
            "the signals that push these tumors to grow and marking the cancer cells for attack by "
            "the immune system. It only helps when testing shows the tumor is HER2-positive.\n\n"
            "Approved in 1998, Herceptin was one of the first targeted cancer therapies and "
            "dramatically improved the outlook for HER2-positive breast cancer. It is given with "
            "or after chemotherapy and often together with pertuzumab (Perjeta). Several "
            "biosimilars, including Ogivri, Kanjinti, Trazimera, Herzuma and Ontruzant, are "
            "available, and a version injected under the skin (Herceptin Hylecta) is also approved."
        ),
        "dosage": (
            "Herceptin is given as an IV infusion, starting with a larger loading dose followed by "
            "smaller doses every week or every three weeks. The first infusion takes about 90 "
            "minutes and later ones about 30 minutes if they are well tolerated. For early breast "
            "cancer, treatment usually lasts one year."
        ),
        "side_effects": (
            "Common side effects include fever, chills, headache, nausea, diarrhea, fatigue, rash, "
            "infections and reactions during the infusion.\n\n"
            "The most important serious risk is **heart damage**: Herceptin can weaken the heart "
            "muscle and lead to heart failure, especially when combined with anthracycline "
            "chemotherapy, so heart function is checked before and during treatment. Severe "
            "infusion reactions and lung problems can also occur. Herceptin can harm an unborn "
            "baby by reducing the amniotic fluid, so effective contraception is needed during "
            "treatment and for seven months afterward."
        ),
        "more_info_url": "https://www.herceptin.com/",
        "last_reviewed": "2023-10-05",
        "assistance_programs": [
            {
                "company": "Genentech",
                "kind": "copay",
                "name": "Genentech Oncology Co-pay Assistance Program",
                "url": "https://www.copayassistancenow.com/",
                "phone": "",
                "notes": (
                    "For eligible patients with commercial insurance; not available to people "
                    "using Medicare, Medicaid or other government coverage."
                ),
            },
            {
                "company": "Genentech",
                "kind": "patient_assistance",
                "name": "Genentech Patient Foundation",
                "url": "https://www.gene.com/patients/patient-foundation",
                "phone": "1-888-941-3331",
                "notes": (
                    "Provides Genentech medicines free of charge to eligible people who are "
                    "uninsured or cannot afford their out-of-pocket costs."
                ),
            },
        ],
    },
    {
        "brand_name": "Gleevec",
        "slug": "gleevec",
        "generic_name": "imatinib mesylate",
        "other_names": ["Glivec", "STI571", "CGP 57148B"],
        "pronunciation": "GLEE-vek",
        "drug_classes": ["Targeted Therapy Medications"],
        "companies": ["Novartis"],
        "cancer_types": [
            "Chronic myeloid leukemia",
            "Acute lymphoblastic leukemia",
            "Gastrointestinal stromal tumor",
        ],
        "approval_status": "approved",
        "first_approved_year": 2001,
        "generic_available": "yes",
        "indication": (
            "Gleevec is a kinase inhibitor approved for Philadelphia chromosome-positive chronic "
            "myeloid leukemia (CML) and acute lymphoblastic leukemia (ALL), KIT-positive "
            "gastrointestinal stromal tumors (GIST), and several rarer conditions, including some "
            "myelodysplastic/myeloproliferative diseases, systemic mastocytosis, hypereosinophilic "
            "syndrome and dermatofibrosarcoma protuberans."
        ),
        "general_info": (
            "In most cases of CML, two chromosomes swap pieces and create an abnormal fusion gene, "
            "BCR-ABL. The enzyme it makes is permanently switched on and drives leukemia cells to "
            "multiply. Gleevec (imatinib) blocks this enzyme, as well as related kinases such as "
            "KIT and PDGFR that fuel GIST and several other tumors.\n\n"
            "Approved in 2001 after an unusually fast review, Gleevec turned CML from a usually "
            "fatal leukemia into a chronic condition that many people manage with a daily pill, "
            "and it became the model for later targeted therapies. Generic imatinib has been sold "
            "in the United States since 2016."
        ),
        "dosage": (
            "Gleevec is a tablet taken by mouth with a meal and a large glass of water, once or "
            "twice a day. The usual adult dose is 400 to 600 mg a day, depending on the disease "
            "and its stage. Treatment is often long-term, with regular blood tests to check the "
            "response."
        ),
        "side_effects": (
            "Common side effects include:\n\n"
            "- fluid retention and swelling, especially around the eyes and in the legs\n"
            "- nausea, vomiting and diarrhea\n"
            "- muscle cramps and bone or joint pain\n"
            "- rash\n"
            "- fatigue\n"
            "- low blood counts\n\n"
            "Less common but serious problems include severe fluid buildup around the lungs or "
            "heart, congestive heart failure, liver damage, bleeding and severe skin reactions. "
            "Gleevec may slow growth in children and can harm an unborn baby."
        ),
        "more_info_url": (
            "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=gleevec"
        ),
        "last_reviewed": "2022-03-28",
        "assistance_programs": [
            {
                "company": "Novartis",
                "kind": "foundation",
                "name": "Novartis Patient Assistance Foundation",
                "url": "https://www.pap.novartis.com/",
                "phone": "1-800-277-2254",
                "notes": (
                    "Nonprofit foundation that provides Novartis medicines at no cost to eligible "
                    "patients facing financial hardship."
                ),
            },
        ],
    },
    {
        "brand_name": "Tagrisso",
        "slug": "tagrisso",
        "generic_name": "osimertinib",
        "other_names": ["AZD9291"],
        "pronunciation": "tag-RISS-oh",
        "drug_classes": ["Targeted Therapy Medications"],
        "companies": ["AstraZeneca"],
        "cancer_types": ["Lung cancer"],
        "approval_status": "approved",
        "first_approved_year": 2015,
        "generic_available": "no",
        "indication": (
            "Tagrisso is an EGFR inhibitor approved for non-small cell lung cancer with certain "
            "EGFR mutations: as first treatment for advanced disease (alone or with chemotherapy), "
            "after surgery for early-stage disease, after chemoradiation for stage III disease "
            "that cannot be removed, and for tumors with the T790M resistance mutation."
        ),
        "general_info": (
            "Some lung cancers, especially in people who have never smoked, are driven by "
            "mutations in the epidermal growth factor receptor (EGFR) gene. Tagrisso (osimertinib) "
            "is a third-generation EGFR inhibitor that blocks the common EGFR mutations as well as "
            "T790M, a mutation that often makes tumors resistant to older EGFR drugs. It also "
            "reaches the brain well, which helps control brain metastases.\n\n"
            "Tagrisso received accelerated approval in 2015 for T790M-positive lung cancer and "
            "full approval in 2017. It became a first-line treatment in 2018 and has since moved "
            "into earlier stages of the disease. A biomarker test on tumor tissue or blood is "
            "needed before treatment."
        ),
        "dosage": (
            "Tagrisso is an 80 mg tablet taken by mouth once a day, with or without food. For "
            "advanced disease it is continued until the cancer progresses or side effects become "
            "unacceptable; after surgery it is taken for up to three years."
        ),
        "side_effects": (
            "The most common side effects are diarrhea, rash, dry skin, nail infections and other "
            "changes around the nails, mouth sores, fatigue, decreased appetite and low blood "
            "counts.\n\n"
            "Less common but serious side effects include lung inflammation (interstitial lung "
            "disease or pneumonitis), heart rhythm changes (QTc prolongation), weakened heart "
            "pumping, inflammation of the cornea (keratitis) and severe skin reactions. New or "
            "worsening cough or shortness of breath should be reported right away."
        ),
        "more_info_url": "https://www.tagrisso.com/",
        "last_reviewed": "2025-11-12",
        "assistance_programs": [
            {
                "company": "AstraZeneca",
                "kind": "copay",
                "name": "AstraZeneca Access 360",
                "url": "https://www.myaccess360.com/",
                "phone": "",
                "notes": (
                    "Coverage and reimbursement support, including co-pay savings for eligible "
                    "commercially insured patients."
                ),
            },
            {
                "company": "AstraZeneca",
                "kind": "patient_assistance",
                "name": "AZ&Me Prescription Savings Program",
                "url": "https://www.azandmeapp.com/",
                "phone": "1-800-292-6363",
                "notes": (
                    "AstraZeneca medicines at no cost for eligible people without insurance or "
                    "with limited coverage."
                ),
            },
        ],
    },
    {
        "brand_name": "Ibrance",
        "slug": "ibrance",
        "generic_name": "palbociclib",
        "other_names": ["PD-0332991"],
        "pronunciation": "EYE-brance",
        "drug_classes": ["Targeted Therapy Medications"],
        "companies": ["Pfizer"],
        "cancer_types": ["Breast cancer"],
        "approval_status": "approved",
        "first_approved_year": 2015,
        "generic_available": "no",
        "indication": (
            "Ibrance is a CDK4/6 inhibitor approved for hormone receptor-positive, HER2-negative "
            "advanced or metastatic breast cancer, in combination with an aromatase inhibitor as "
            "the first hormone-based treatment or with fulvestrant after hormone therapy has "
            "stopped working."
        ),
        "general_info": (
            "Cyclin-dependent kinases 4 and 6 (CDK4/6) act like an accelerator for cell division, "
            "and hormone receptor-positive breast cancer cells often depend on them to multiply. "
            "Ibrance (palbociclib) blocks these enzymes and holds cancer cells back before they "
            "can copy their DNA. Paired with hormone therapy, it substantially lengthened the time "
            "before the cancer grew in the trials that led to its approval.\n\n"
            "Ibrance was the first CDK4/6 inhibitor approved by the FDA, receiving accelerated "
            "approval in February 2015. It is used in both women and men; women who have not been "
            "through menopause also receive treatment to suppress their ovaries."
        ),
        "dosage": (
            "Ibrance comes as capsules or tablets. The usual dose is 125 mg once a day for 21 "
            "days, followed by 7 days off, making a 28-day cycle. The capsules should be taken "
            "with food, while the tablets can be taken with or without food. Blood counts are "
            "checked at the start of each cycle."
        ),
        "side_effects": (
            "Common side effects include:\n\n"
            "- low white blood cell counts (neutropenia), which are very common but rarely lead to "
            "fever or serious infection\n"
            "- infections\n"
            "- fatigue\n"
            "- nausea, diarrhea and mouth sores\n"
            "- hair thinning\n"
            "- anemia and low platelet counts\n"
            "- rash and decreased appetite\n\n"
            "Rarely, Ibrance can cause severe inflammation of the lungs. It can also harm an "
            "unborn baby, so effective birth control is needed."
        ),
        "more_info_url": "https://www.ibrance.com/",
        "last_reviewed": "2026-10-30",
        "assistance_programs": [
            {
                "company": "Pfizer",
                "kind": "copay",
                "name": "Pfizer Oncology Together",
                "url": "https://www.pfizeroncologytogether.com/",
                "phone": "1-877-744-5675",
                "notes": (
                    "Personal support plus co-pay savings for eligible commercially insured "
                    "patients; can also connect people with limited coverage to free-medicine "
                    "programs."
                ),
            },
            {
                "company": "Pfizer",
                "kind": "patient_assistance",
                "name": "Pfizer RxPathways",
                "url": "https://www.pfizerrxpathways.com/",
                "phone": "1-844-989-7284",
                "notes": (
                    "Connects eligible patients with free or reduced-cost Pfizer medicines, "
                    "including for people with limited or no insurance."
                ),
            },
        ],
    },
    {
        "brand_name": "Imbruvica",
        "slug": "imbruvica",
        "generic_name": "ibrutinib",
        "other_names": ["PCI-32765"],
        "pronunciation": "im-BROO-vih-kuh",
        "drug_classes": ["Targeted Therapy Medications"],
        "companies": ["Pharmacyclics", "Janssen Biotech"],
        "cancer_types": ["Chronic lymphocytic leukemia", "Waldenström macroglobulinemia"],
        "approval_status": "approved",
        "first_approved_year": 2013,
        "generic_available": "no",
        "indication": (
            "Imbruvica is a BTK inhibitor approved for chronic lymphocytic leukemia (CLL) and "
            "small lymphocytic lymphoma (SLL), Waldenström macroglobulinemia, and chronic "
            "graft-versus-host disease after a stem cell transplant."
        ),
        "general_info": (
            "Bruton's tyrosine kinase (BTK) relays survival and growth signals inside B cells, the "
            "white blood cells that turn cancerous in CLL and several lymphomas. Imbruvica "
            "(ibrutinib) binds BTK permanently and shuts it down, so the malignant B cells stop "
            "growing and are pushed out of the protective environment of the lymph nodes and bone "
            "marrow.\n\n"
            "Imbruvica was the first BTK inhibitor on the market, approved in November 2013 for "
            "mantle cell lymphoma and in 2014 for CLL. Its accelerated approvals for mantle cell "
            "and marginal zone lymphoma were voluntarily withdrawn in the US in 2023, while CLL "
            "and Waldenström macroglobulinemia remain fully approved uses. It is developed jointly "
            "by Pharmacyclics, an AbbVie company, and Janssen."
        ),
        "dosage": (
            "Imbruvica is taken by mouth once a day at about the same time, as capsules, tablets "
            "or a liquid suspension. The usual dose for CLL and Waldenström macroglobulinemia is "
            "420 mg a day. It may be used alone or with other drugs such as rituximab or "
            "obinutuzumab, and is continued until the disease progresses or side effects become "
            "unacceptable."
        ),
        "side_effects": (
            "Common side effects include diarrhea, muscle and bone pain, bruising, rash, fatigue, "
            "nausea, upper respiratory infections and low blood counts. Serious risks include:\n\n"
            "- bleeding, which can be severe, especially with blood thinners\n"
            "- serious infections\n"
            "- irregular heart rhythms such as atrial fibrillation, heart failure and, rarely, "
            "sudden cardiac death\n"
            "- high blood pressure\n"
            "- second cancers, most often skin cancers\n"
            "- tumor lysis syndrome\n\n"
            "Imbruvica is usually paused for several days around surgery. Grapefruit and Seville "
            "oranges should be avoided because they can raise drug levels."
        ),
        "more_info_url": "https://www.imbruvica.com/",
        "last_reviewed": "2025-01-27",
        "assistance_programs": [
            {
                "company": "Pharmacyclics",
                "kind": "copay",
                "name": "IMBRUVICA By Your Side",
                "url": "https://www.imbruvica.com/",
                "phone": "",
                "notes": (
                    "Patient support program with nurse ambassadors, insurance navigation and "
                    "co-pay help for eligible patients."
                ),
            },
        ],
    },
    {
        "brand_name": "Avastin",
        "slug": "avastin",
        "generic_name": "bevacizumab",
        "other_names": ["rhuMAb-VEGF"],
        "pronunciation": "uh-VAS-tin",
        "drug_classes": ["Targeted Therapy Medications"],
        "companies": ["Genentech"],
        "cancer_types": [
            "Colorectal cancer",
            "Lung cancer",
            "Brain tumors",
            "Kidney cancer",
            "Cervical cancer",
            "Ovarian cancer",
            "Liver cancer",
        ],
        "approval_status": "approved",
        "first_approved_year": 2004,
        "generic_available": "biosimilar",
        "indication": (
            "Avastin is a VEGF inhibitor approved, usually in combination with other treatments, "
            "for metastatic colorectal cancer, non-squamous non-small cell lung cancer, recurrent "
            "glioblastoma, advanced kidney cancer, cervical cancer, ovarian, fallopian tube and "
            "primary peritoneal cancer, and liver cancer (hepatocellular carcinoma)."
        ),
        "general_info": (
            "Tumors need a steady blood supply to grow beyond a tiny size, and many release "
            "vascular endothelial growth factor (VEGF) to coax new blood vessels into forming. "
            "Avastin (bevacizumab) is an antibody that mops up VEGF, starving tumors of new "
            "vessels and making existing tumor vessels less leaky.\n\n"
            "Avastin became the first anti-angiogenesis drug approved in the United States in "
            "2004, for colorectal cancer. A breast cancer indication granted in 2008 was revoked "
            "in 2011 after later studies did not show that patients lived longer or better. "
            "Biosimilars such as Mvasi, Zirabev, Vegzelma and Alymsys are now widely used."
        ),
        "dosage": (
            "Avastin is given by IV infusion, usually every two or three weeks, with the dose "
            "based on body weight. The first infusion takes 90 minutes; later ones can be "
            "shortened to 60 and then 30 minutes if tolerated. Treatment should not start until at "
            "least four weeks after major surgery, once the incision has healed."
        ),
        "side_effects": (
            "Common side effects include high blood pressure, protein in the urine, nosebleeds, "
            "headache, altered taste, dry skin, runny nose, back pain and watery eyes.\n\n"
            "Rare but serious problems include holes in the stomach or intestine (gastrointestinal "
            "perforation), poor wound healing, severe bleeding, blood clots in arteries that can "
            "cause heart attack or stroke, kidney damage and a brain swelling disorder called "
            "posterior reversible encephalopathy syndrome (PRES). Avastin may also cause ovarian "
            "failure and can harm an unborn baby."
        ),
        "more_info_url": "https://www.avastin.com/",
        "last_reviewed": "2024-07-09",
        "assistance_programs": [
            {
                "company": "Genentech",
                "kind": "copay",
                "name": "Genentech Oncology Co-pay Assistance Program",
                "url": "https://www.copayassistancenow.com/",
                "phone": "",
                "notes": (
                    "For eligible patients with commercial insurance; not available to people "
                    "using Medicare, Medicaid or other government coverage."
                ),
            },
            {
                "company": "Genentech",
                "kind": "patient_assistance",
                "name": "Genentech Patient Foundation",
                "url": "https://www.gene.com/patients/patient-foundation",
                "phone": "1-888-941-3331",
                "notes": (
                    "Provides Genentech medicines free of charge to eligible people who are "
                    "uninsured or cannot afford their out-of-pocket costs."
                ),
            },
        ],
    },
    {
        "brand_name": "Enhertu",
        "slug": "enhertu",
        "generic_name": "fam-trastuzumab deruxtecan-nxki",
        "other_names": ["trastuzumab deruxtecan", "T-DXd", "DS-8201a"],
        "pronunciation": "en-HER-too",
        "drug_classes": ["Antibody-Drug Conjugates", "Targeted Therapy Medications"],
        "companies": ["Daiichi Sankyo", "AstraZeneca"],
        "cancer_types": ["Breast cancer", "Lung cancer", "Stomach cancer"],
        "approval_status": "approved",
        "first_approved_year": 2019,
        "generic_available": "no",
        "indication": (
            "Enhertu is a HER2-directed antibody-drug conjugate approved for HER2-positive, "
            "HER2-low and HER2-ultralow metastatic breast cancer, HER2-mutant non-small cell lung "
            "cancer, HER2-positive cancer of the stomach or gastroesophageal junction, and other "
            "HER2-positive solid tumors that have grown after earlier treatment."
        ),
        "general_info": (
            "Enhertu (trastuzumab deruxtecan) links a trastuzumab-like antibody to a powerful "
            "topoisomerase I inhibitor, a type of chemotherapy. The antibody homes in on HER2 and "
            "carries about eight chemotherapy molecules per antibody into the cancer cell. Some of "
            "the released drug can seep into neighboring tumor cells (a bystander effect), which "
            "helps explain why it works even when HER2 levels are low.\n\n"
            "Enhertu received accelerated approval in December 2019 for previously treated "
            "HER2-positive breast cancer. In 2022 it became the first treatment approved "
            "specifically for HER2-low breast cancer, a group that makes up about half of all "
            "breast cancers. It is developed and sold jointly by Daiichi Sankyo and AstraZeneca."
        ),
        "dosage": (
            "Enhertu is given as an IV infusion once every three weeks. The first infusion takes "
            "about 90 minutes, and later ones about 30 minutes if well tolerated. Anti-nausea "
            "medicine is given beforehand, and treatment continues until the cancer progresses or "
            "side effects become unacceptable."
        ),
        "side_effects": (
            "Common side effects include:\n\n"
            "- nausea, vomiting and constipation\n"
            "- fatigue\n"
            "- hair loss\n"
            "- decreased appetite\n"
            "- low blood counts\n"
            "- muscle and bone pain\n\n"
            "Enhertu has a **boxed warning** for interstitial lung disease (inflammation and "
            "scarring of the lungs), which can be fatal, and for harm to an unborn baby. Anyone "
            "with a new cough, shortness of breath or fever should contact their care team right "
            "away. It can also weaken the heart's pumping, so heart function is monitored."
        ),
        "more_info_url": "https://www.enhertu.com/",
        "last_reviewed": "2026-04-22",
        "assistance_programs": [
            {
                "company": "Daiichi Sankyo",
                "kind": "copay",
                "name": "ENHERTU4U",
                "url": "https://www.enhertu4u.com/",
                "phone": "",
                "notes": (
                    "Access and reimbursement support from Daiichi Sankyo and AstraZeneca, "
                    "including co-pay help for eligible commercially insured patients."
                ),
            },
        ],
    },
    {
        "brand_name": "Padcev",
        "slug": "padcev",
        "generic_name": "enfortumab vedotin-ejfv",
        "other_names": ["enfortumab vedotin", "EV"],
        "pronunciation": "PAD-sev",
        "drug_classes": ["Antibody-Drug Conjugates"],
        "companies": ["Astellas Pharma", "Pfizer"],
        "cancer_types": ["Bladder cancer"],
        "approval_status": "approved",
        "first_approved_year": 2019,
        "generic_available": "no",
        "indication": (
            "Padcev is a Nectin-4-directed antibody-drug conjugate approved for locally advanced "
            "or metastatic urothelial cancer (the most common type of bladder cancer), either "
            "together with Keytruda as a first treatment or on its own after earlier therapy."
        ),
        "general_info": (
            "Nectin-4 is a protein found on the surface of most urothelial cancer cells. Padcev "
            "(enfortumab vedotin) uses an antibody to find Nectin-4 and delivers a chemotherapy "
            "called MMAE that disrupts the cell's internal scaffolding, so the cancer cell cannot "
            "divide.\n\n"
            "Padcev received accelerated approval in December 2019 and full approval in 2021 for "
            "people who had already had chemotherapy and immunotherapy. In December 2023 the "
            "combination of Padcev and Keytruda was approved as a first treatment for advanced "
            "urothelial cancer after it nearly doubled overall survival compared with platinum "
            "chemotherapy in the EV-302 trial. Padcev was developed by Seagen, now part of Pfizer, "
            "and Astellas."
        ),
        "dosage": (
            "Padcev is given as a 30-minute IV infusion, with the dose based on body weight. On "
            "its own it is given on days 1, 8 and 15 of each 28-day cycle; with Keytruda it is "
            "given on days 1 and 8 of each 21-day cycle."
        ),
        "side_effects": (
            "Common side effects include fatigue, numbness or tingling in the hands and feet "
            "(peripheral neuropathy), rash, hair loss, decreased appetite, changes in taste, "
            "diarrhea, nausea, itching, dry eyes and high blood sugar.\n\n"
            "Padcev has a **boxed warning** for serious skin reactions, including Stevens-Johnson "
            "syndrome and toxic epidermal necrolysis, which most often appear during the first "
            "cycle. Other serious risks include very high blood sugar in people with or without "
            "diabetes, lung inflammation, eye problems and skin damage if the drug leaks out of "
            "the vein."
        ),
        "more_info_url": "https://www.padcev.com/",
        "last_reviewed": "2025-05-15",
        "assistance_programs": [
            {
                "company": "Astellas Pharma",
                "kind": "copay",
                "name": "Astellas Pharma Support SOLUTIONS",
                "url": "https://www.astellaspharmasupportsolutions.com/",
                "phone": "",
                "notes": (
                    "Benefit verification, co-pay help for eligible commercially insured patients "
                    "and referrals to other sources of financial assistance."
                ),
            },
        ],
    },
    {
        "brand_name": "Nolvadex",
        "slug": "nolvadex",
        "generic_name": "tamoxifen citrate",
        "other_names": ["tamoxifen", "Soltamox", "ICI 46,474"],
        "pronunciation": "NOL-vuh-dex",
        "drug_classes": ["Hormone Therapy Medications"],
        "companies": ["AstraZeneca"],
        "cancer_types": ["Breast cancer"],
        "approval_status": "approved",
        "first_approved_year": 1977,
        "generic_available": "yes",
        "indication": (
            "Tamoxifen, first sold as Nolvadex, is an anti-estrogen approved to treat hormone "
            "receptor-positive breast cancer in women and men, to lower the risk of recurrence "
            "after surgery, to treat ductal carcinoma in situ (DCIS), and to reduce the chance of "
            "breast cancer in women at high risk."
        ),
        "general_info": (
            "Tamoxifen is a selective estrogen receptor modulator (SERM). In breast tissue it "
            "stops estrogen from attaching to cancer cells and stimulating their growth, while in "
            "other tissues, such as bone and the lining of the uterus, it acts like a weak "
            "estrogen.\n\n"
            "First approved in 1977, tamoxifen has been taken by millions of people and remains a "
            "standard treatment, particularly for women who have not gone through menopause. The "
            "Nolvadex brand is no longer marketed in the United States, but inexpensive generic "
            "tablets are widely available, as is an oral liquid, Soltamox, for people who have "
            "trouble swallowing pills."
        ),
        "dosage": (
            "Tamoxifen is usually taken as a 20 mg tablet, or the same dose of oral liquid, once a "
            "day. After surgery for early breast cancer it is typically taken for 5 to 10 years; "
            "for risk reduction it is taken for 5 years."
        ),
        "side_effects": (
            "Common side effects include hot flashes, vaginal discharge or dryness, irregular "
            "periods, fluid retention, nausea, fatigue and mood changes.\n\n"
            "Tamoxifen increases the risk of **uterine cancer**, blood clots in the legs and "
            "lungs, and stroke. These risks are higher after menopause, and any unusual vaginal "
            "bleeding or pelvic pain should be reported. It may also cause cataracts and liver "
            "changes, and it must not be used during pregnancy."
        ),
        "more_info_url": (
            "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=tamoxifen"
        ),
        "last_reviewed": "2021-09-08",
        "assistance_programs": [],
    },
    {
        "brand_name": "Arimidex",
        "slug": "arimidex",
        "generic_name": "anastrozole",
        "other_names": ["ZD1033"],
        "pronunciation": "uh-RIM-ih-dex",
        "drug_classes": ["Hormone Therapy Medications"],
        "companies": ["AstraZeneca"],
        "cancer_types": ["Breast cancer"],
        "approval_status": "approved",
        "first_approved_year": 1995,
        "generic_available": "yes",
        "indication": (
            "Arimidex is an aromatase inhibitor approved for postmenopausal women with hormone "
            "receptor-positive breast cancer, both after surgery for early-stage disease and as "
            "treatment for advanced or metastatic disease, including after tamoxifen has stopped "
            "working."
        ),
        "general_info": (
            "After menopause, most of the body's estrogen is made in fat and other tissues by an "
            "enzyme called aromatase. Arimidex (anastrozole) blocks aromatase and sharply lowers "
            "estrogen levels, depriving hormone-sensitive breast cancer cells of the estrogen they "
            "need to grow.\n\n"
            "First approved in 1995, Arimidex was shown in the large ATAC trial to lower the risk "
            "of breast cancer returning more than tamoxifen did in postmenopausal women. On its "
            "own it does not work before menopause, because the ovaries keep producing estrogen. "
            "Generic anastrozole has been available since 2010."
        ),
        "dosage": (
            "Arimidex is a 1 mg tablet taken by mouth once a day, with or without food. After "
            "surgery for early breast cancer it is usually taken for five years, sometimes longer."
        ),
        "side_effects": (
            "Common side effects include:\n\n"
            "- hot flashes\n"
            "- joint pain and stiffness\n"
            "- weakness and fatigue\n"
            "- mood changes and trouble sleeping\n"
            "- headache, nausea and rash\n"
            "- high blood pressure\n\n"
            "Because it lowers estrogen, Arimidex causes **bone thinning** that can lead to "
            "osteoporosis and fractures, so bone density is usually checked. It can raise "
            "cholesterol, and women with existing heart disease may have a higher risk of heart "
            "problems."
        ),
        "more_info_url": (
            "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=arimidex"
        ),
        "last_reviewed": "2023-02-16",
        "assistance_programs": [],
    },
    {
        "brand_name": "Xtandi",
        "slug": "xtandi",
        "generic_name": "enzalutamide",
        "other_names": ["MDV3100"],
        "pronunciation": "ex-TAN-dee",
        "drug_classes": ["Hormone Therapy Medications"],
        "companies": ["Astellas Pharma", "Pfizer"],
        "cancer_types": ["Prostate cancer"],
        "approval_status": "approved",
        "first_approved_year": 2012,
        "generic_available": "no",
        "indication": (
            "Xtandi is an androgen receptor inhibitor approved for castration-resistant prostate "
            "cancer (with or without metastases), metastatic castration-sensitive prostate cancer, "
            "and non-metastatic castration-sensitive prostate cancer with a rising PSA after "
            "treatment and a high risk of spreading."
        ),
        "general_info": (
            "Prostate cancer cells usually depend on male hormones (androgens) such as "
            "testosterone to grow. Xtandi (enzalutamide) blocks the androgen receptor at several "
            "steps: it keeps androgens from binding, stops the receptor from moving into the cell "
            "nucleus, and prevents it from switching on growth genes.\n\n"
            "Xtandi was first approved in 2012 for men whose metastatic prostate cancer had "
            "progressed after docetaxel chemotherapy, and its use has since moved to earlier "
            "stages of the disease. It is usually taken together with ongoing androgen deprivation "
            "therapy, such as a GnRH drug. Xtandi is marketed by Astellas and Pfizer."
        ),
        "dosage": (
            "Xtandi is taken by mouth once a day at a dose of 160 mg, as capsules or tablets, with "
            "or without food. Capsules and tablets should be swallowed whole."
        ),
        "side_effects": (
            "Common side effects include weakness and fatigue, hot flashes, back and joint pain, "
            "decreased appetite, constipation, diarrhea, high blood pressure, dizziness and "
            "falls.\n\n"
            "Less common but serious risks include seizures, a brain swelling disorder (PRES), "
            "allergic reactions, heart disease caused by reduced blood flow, and fractures. Xtandi "
            "interacts with many other medicines, so patients should share a complete list of what "
            "they take."
        ),
        "more_info_url": "https://www.xtandi.com/",
        "last_reviewed": "2026-07-19",
        "assistance_programs": [
            {
                "company": "Astellas Pharma",
                "kind": "copay",
                "name": "XTANDI Support Solutions",
                "url": "https://www.astellaspharmasupportsolutions.com/",
                "phone": "",
                "notes": (
                    "Includes a patient savings program that lowers out-of-pocket costs for "
                    "eligible commercially insured patients."
                ),
            },
            {
                "company": "Astellas Pharma",
                "kind": "patient_assistance",
                "name": "Astellas Patient Assistance Program",
                "url": "https://www.astellaspharmasupportsolutions.com/",
                "phone": "",
                "notes": (
                    "Free medicine for eligible patients who are uninsured or whose insurance does "
                    "not cover their prescription."
                ),
            },
        ],
    },
    {
        "brand_name": "Lupron Depot",
        "slug": "lupron-depot",
        "generic_name": "leuprolide acetate",
        "other_names": ["Lupron", "leuprorelin"],
        "pronunciation": "LOO-pron DEE-poh",
        "drug_classes": ["Hormone Therapy Medications"],
        "companies": ["AbbVie"],
        "cancer_types": ["Prostate cancer"],
        "approval_status": "approved",
        "first_approved_year": 1989,
        "generic_available": "no",
        "indication": (
            "Lupron Depot is a GnRH agonist approved for the palliative treatment of advanced "
            "prostate cancer. Other strengths are approved for endometriosis, uterine fibroids and "
            "early puberty in children."
        ),
        "general_info": (
            "Lupron Depot (leuprolide) is a man-made version of gonadotropin-releasing hormone "
            "(GnRH), the brain signal that tells the testicles to make testosterone. Given "
            "continuously, it first causes a brief surge in testosterone and then shuts the signal "
            "down, lowering testosterone to castration levels within a few weeks. Because most "
            "prostate cancers need testosterone to grow, this slows the disease.\n\n"
            "Leuprolide was first approved as a daily injection in 1985, and the long-acting depot "
            "form followed in 1989. It is one of the most widely used forms of androgen "
            "deprivation therapy and is often combined with newer drugs such as Xtandi. Other "
            "leuprolide products, such as Eligard and Camcevi, are approved separately."
        ),
        "dosage": (
            "Lupron Depot is injected into a muscle by a health care professional once every 1, 3, "
            "4 or 6 months, depending on the strength (7.5 mg, 22.5 mg, 30 mg or 45 mg). Treatment "
            "is usually long-term, with periodic checks of testosterone and PSA levels."
        ),
        "side_effects": (
            "Common side effects include hot flashes, pain or redness at the injection site, "
            "fatigue, joint and muscle aches, swelling, loss of sex drive, erectile dysfunction "
            "and shrinking testicles.\n\n"
            "In the first weeks, the temporary testosterone surge can cause a **tumor flare**, "
            "with worse bone pain or urinary problems. Long-term use can thin the bones and raise "
            "the risk of diabetes, heart attack and stroke, and it may affect heart rhythm (QT "
            "prolongation). Seizures have been reported rarely."
        ),
        "more_info_url": "https://www.lupronprostatecancer.com/",
        "last_reviewed": "2022-11-30",
        "assistance_programs": [
            {
                "company": "AbbVie",
                "kind": "patient_assistance",
                "name": "myAbbVie Assist",
                "url": "https://www.myabbvieassist.com/",
                "phone": "",
                "notes": (
                    "Free AbbVie medicine for eligible patients with limited or no insurance "
                    "coverage."
                ),
            },
        ],
    },
    {
        "brand_name": "Taxol",
        "slug": "taxol",
        "generic_name": "paclitaxel",
        "other_names": [],
        "pronunciation": "TAX-ol",
        "drug_classes": ["Chemotherapy Medications"],
        "companies": ["Bristol Myers Squibb"],
        "cancer_types": ["Breast cancer", "Ovarian cancer", "Lung cancer", "Kaposi sarcoma"],
        "approval_status": "approved",
        "first_approved_year": 1992,
        "generic_available": "yes",
        "indication": (
            "Taxol is a chemotherapy drug approved for breast cancer (after surgery when lymph "
            "nodes are involved, and for metastatic disease), ovarian cancer, non-small cell lung "
            "cancer and AIDS-related Kaposi sarcoma."
        ),
        "general_info": (
            "Paclitaxel, the drug in Taxol, was first isolated from the bark of the Pacific yew "
            "tree and is now made from renewable sources such as yew needles or plant cell "
            "cultures. It belongs to the taxane family and works by freezing the internal "
            "scaffolding of cells (microtubules) in place, so cancer cells cannot divide and "
            "eventually die.\n\n"
            "Taxol was approved in 1992 for ovarian cancer and soon afterward for breast cancer, "
            "and paclitaxel remains one of the most widely used chemotherapy drugs. Generic "
            "paclitaxel is widely available. Albumin-bound paclitaxel (Abraxane) is a different "
            "product and cannot be swapped for Taxol."
        ),
        "dosage": (
            "Taxol is given as an IV infusion, most often over three hours every three weeks, "
            "although weekly schedules are also common. To prevent allergic reactions to the "
            "solvent in the formulation, patients receive a steroid and antihistamines before each "
            "dose."
        ),
        "side_effects": (
            "Common side effects include:\n\n"
            "- hair loss\n"
            "- low white blood cell, red blood cell and platelet counts\n"
            "- numbness, tingling or burning in the hands and feet (peripheral neuropathy)\n"
            "- muscle and joint aches, often a few days after treatment\n"
            "- nausea, diarrhea and mouth sores\n\n"
            "Serious allergic reactions can occur during the infusion despite premedication, and a "
            "severe drop in white blood cells can lead to life-threatening infections. Paclitaxel "
            "can also slow the heart rate and can harm an unborn baby."
        ),
        "more_info_url": (
            "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=paclitaxel"
        ),
        "last_reviewed": "2021-04-12",
        "assistance_programs": [],
    },
    {
        "brand_name": "Adriamycin",
        "slug": "adriamycin",
        "generic_name": "doxorubicin hydrochloride",
        "other_names": ["doxorubicin", "hydroxydaunorubicin"],
        "pronunciation": "ay-dree-uh-MY-sin",
        "drug_classes": ["Chemotherapy Medications"],
        "companies": ["Hikma Pharmaceuticals"],
        "cancer_types": [
            "Breast cancer",
            "Acute lymphoblastic leukemia",
            "Hodgkin lymphoma",
            "Non-Hodgkin lymphoma",
            "Ovarian cancer",
            "Bladder cancer",
            "Stomach cancer",
            "Lung cancer",
        ],
        "approval_status": "approved",
        "first_approved_year": 1974,
        "generic_available": "yes",
        "indication": (
            "Adriamycin is an anthracycline chemotherapy approved for breast cancer after surgery "
            "and for a wide range of other cancers, including acute leukemias, Hodgkin and "
            "non-Hodgkin lymphoma, bone and soft tissue sarcomas, Wilms tumor, neuroblastoma, and "
            "cancers of the ovary, bladder, thyroid, stomach and lung."
        ),
        "general_info": (
            "Doxorubicin, the active ingredient in Adriamycin, is an antibiotic originally "
            "obtained from a soil bacterium (Streptomyces). It wedges itself between the strands "
            "of DNA and blocks an enzyme called topoisomerase II, breaking the DNA and preventing "
            "cancer cells from dividing.\n\n"
            "Approved in 1974, doxorubicin is still the backbone of many combination regimens, "
            "such as AC for breast cancer and CHOP for lymphoma, where it is the H (for "
            "hydroxydaunorubicin). It is sometimes nicknamed the red devil because of its bright "
            "red color. Generic doxorubicin is widely available; liposomal doxorubicin (Doxil) is "
            "a different formulation and cannot be substituted for it."
        ),
        "dosage": (
            "Adriamycin is given by a health care professional as an injection or short infusion "
            "into a vein, usually once every 21 days. The total lifetime dose is capped because "
            "the risk of heart damage rises as more of the drug is received."
        ),
        "side_effects": (
            "Common side effects include hair loss, nausea and vomiting, mouth sores, fatigue, and "
            "low blood counts that raise the risk of infection and bleeding. Urine may turn red "
            "for a day or two after each dose, which is harmless.\n\n"
            "Serious risks include **heart damage** that can lead to heart failure, sometimes "
            "years after treatment; a second cancer such as leukemia or myelodysplastic syndrome; "
            "and severe tissue injury if the drug leaks out of the vein during the infusion."
        ),
        "more_info_url": (
            "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=adriamycin"
        ),
        "last_reviewed": "2020-10-26",
        "assistance_programs": [],
    },
    {
        "brand_name": "Gemzar",
        "slug": "gemzar",
        "generic_name": "gemcitabine hydrochloride",
        "other_names": ["gemcitabine", "Infugem", "LY188011"],
        "pronunciation": "JEM-zar",
        "drug_classes": ["Chemotherapy Medications"],
        "companies": ["Eli Lilly and Company"],
        "cancer_types": ["Pancreatic cancer", "Lung cancer", "Breast cancer", "Ovarian cancer"],
        "approval_status": "approved",
        "first_approved_year": 1996,
        "generic_available": "yes",
        "indication": (
            "Gemzar is a chemotherapy drug approved for pancreatic cancer, non-small cell lung "
            "cancer (with cisplatin), metastatic breast cancer (with paclitaxel) and advanced "
            "ovarian cancer that has come back after platinum-based treatment (with carboplatin)."
        ),
        "general_info": (
            "Gemcitabine, the drug in Gemzar, is an antimetabolite. It closely resembles one of "
            "the building blocks of DNA, so dividing cells take it up and build it into new DNA, "
            "which halts DNA copying and triggers cell death.\n\n"
            "Gemzar was approved in 1996 and for many years was the standard treatment for "
            "advanced pancreatic cancer, where it also eased symptoms such as pain and weight "
            "loss. It is still widely used for pancreatic cancer, often combined with "
            "nab-paclitaxel, and doctors also use it for bladder and bile duct cancers. Generic "
            "gemcitabine has been available since 2010."
        ),
        "dosage": (
            "Gemzar is given as a 30-minute IV infusion. Schedules vary by cancer: for pancreatic "
            "cancer it is often given once a week for several weeks followed by a week of rest, "
            "while in combination regimens it is commonly given on days 1 and 8 of a 21-day cycle."
        ),
        "side_effects": (
            "Common side effects include low blood counts, nausea and vomiting, flu-like symptoms "
            "(fever, aches and chills), fatigue, rash, swelling of the legs and temporary rises in "
            "liver enzymes.\n\n"
            "Less common but serious problems include lung inflammation with shortness of breath, "
            "a kidney and blood disorder called hemolytic uremic syndrome, capillary leak "
            "syndrome, liver damage and a brain swelling disorder (PRES). Gemcitabine can also "
            "make radiation side effects more severe when the two are given close together."
        ),
        "more_info_url": (
            "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=gemzar"
        ),
        "last_reviewed": "2022-06-14",
        "assistance_programs": [],
    },
    {
        "brand_name": "Temodar",
        "slug": "temodar",
        "generic_name": "temozolomide",
        "other_names": ["Temodal", "SCH 52365"],
        "pronunciation": "TEM-oh-dar",
        "drug_classes": ["Chemotherapy Medications"],
        "companies": ["Merck"],
        "cancer_types": ["Brain tumors"],
        "approval_status": "approved",
        "first_approved_year": 1999,
        "generic_available": "yes",
        "indication": (
            "Temodar is an oral chemotherapy drug approved for adults with newly diagnosed "
            "glioblastoma, given with radiation and then as maintenance treatment, and for "
            "anaplastic astrocytoma, another type of brain tumor."
        ),
        "general_info": (
            "Temozolomide, the drug in Temodar, is an alkylating agent: it attaches small chemical "
            "groups to DNA and damages it so that tumor cells cannot divide. Unlike many "
            "chemotherapy drugs, it is well absorbed when swallowed and crosses into the brain.\n\n"
            "Temodar was first approved in 1999 for anaplastic astrocytoma that had returned after "
            "treatment. In 2005 it was approved for newly diagnosed glioblastoma after a landmark "
            "trial showed that adding it to radiation helped people live longer. Tumors in which "
            "the MGMT gene is switched off (methylated) tend to respond better. Generic "
            "temozolomide capsules are available."
        ),
        "dosage": (
            "For newly diagnosed glioblastoma, Temodar capsules are taken once a day, every day, "
            "during six weeks of radiation therapy. After a short break, a higher dose is taken on "
            "five days in a row of each 28-day cycle, usually for six cycles. The dose is based on "
            "body size, and the capsules are swallowed whole on an empty stomach."
        ),
        "side_effects": (
            "Common side effects include:\n\n"
            "- nausea and vomiting\n"
            "- fatigue\n"
            "- hair loss\n"
            "- headache\n"
            "- constipation and loss of appetite\n"
            "- low blood counts, especially platelets and lymphocytes\n\n"
            "Because temozolomide lowers certain immune cells, people taking it with radiation "
            "usually receive an antibiotic to prevent Pneumocystis pneumonia. Rare serious risks "
            "include liver damage, myelodysplastic syndrome or a second leukemia, and harm to an "
            "unborn baby."
        ),
        "more_info_url": (
            "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=temodar"
        ),
        "last_reviewed": "2024-12-03",
        "assistance_programs": [],
    },
    {
        "brand_name": "Pepaxto",
        "slug": "pepaxto",
        "generic_name": "melphalan flufenamide",
        "other_names": ["melflufen", "Pepaxti"],
        "pronunciation": "",
        "drug_classes": ["Chemotherapy Medications"],
        "companies": ["Oncopeptides"],
        "cancer_types": ["Multiple myeloma"],
        "approval_status": "withdrawn",
        "first_approved_year": 2021,
        "generic_available": "no",
        "indication": (
            "Pepaxto was granted accelerated approval, with dexamethasone, for adults with "
            "relapsed or refractory multiple myeloma who had received at least four prior lines of "
            "therapy and whose disease no longer responded to a proteasome inhibitor, an "
            "immunomodulatory drug and an anti-CD38 antibody. **It is no longer approved in the "
            "United States.**"
        ),
        "general_info": (
            "Pepaxto (melphalan flufenamide, or melflufen) is a peptide-drug conjugate designed to "
            "deliver the alkylating chemotherapy melphalan more selectively into myeloma cells. "
            "Inside the cell, enzymes called aminopeptidases cut the molecule apart and trap the "
            "active drug.\n\n"
            "The FDA granted Pepaxto accelerated approval in February 2021. Months later, results "
            "from the confirmatory OCEAN trial pointed to a higher risk of death than with "
            "pomalidomide plus dexamethasone, and Oncopeptides withdrew the drug from the US "
            "market in October 2021. The FDA formally withdrew its approval in February 2024. The "
            "drug has been authorized in the European Union under the name Pepaxti."
        ),
        "dosage": (
            "While it was available, Pepaxto was given as a 30-minute IV infusion through a "
            "central line on day 1 of each 28-day cycle, together with weekly dexamethasone."
        ),
        "side_effects": (
            "The most common side effects were fatigue, nausea, diarrhea, fever and respiratory "
            "infections. Low blood counts were very frequent and often severe, especially low "
            "platelets (thrombocytopenia) and low white blood cells (neutropenia), raising the "
            "risk of bleeding and infection. Serious infections, second cancers and harm to an "
            "unborn baby were also listed as risks."
        ),
        "more_info_url": "https://www.oncopeptides.com/",
        "last_reviewed": "2024-03-05",
        "assistance_programs": [],
    },
    {
        "brand_name": "Xgeva",
        "slug": "xgeva",
        "generic_name": "denosumab",
        "other_names": ["AMG 162"],
        "pronunciation": "ex-JEE-vuh",
        "drug_classes": ["Supportive Care Medications"],
        "companies": ["Amgen"],
        "cancer_types": [
            "Multiple myeloma",
            "Breast cancer",
            "Prostate cancer",
            "Giant cell tumor of bone",
        ],
        "approval_status": "approved",
        "first_approved_year": 2010,
        "generic_available": "biosimilar",
        "indication": (
            "Xgeva is a bone-targeting antibody approved to prevent fractures and other bone "
            "complications in people with multiple myeloma and in people whose solid tumors have "
            "spread to the bone. It is also approved for giant cell tumor of bone that cannot be "
            "removed with surgery, and for high blood calcium caused by cancer (hypercalcemia of "
            "malignancy) that does not respond to bisphosphonates."
        ),
        "general_info": (
            "Cancer that spreads to bone, and myeloma growing in the bone marrow, activate "
            "bone-dissolving cells called osteoclasts, leading to pain, fractures and pressure on "
            "the spinal cord. Xgeva (denosumab) is a monoclonal antibody that blocks RANK ligand, "
            "a signal osteoclasts need to form and survive, and so slows bone destruction.\n\n"
            "Approved in 2010, Xgeva delayed fractures and other skeletal problems longer than "
            "zoledronic acid in people with breast or prostate cancer that had spread to bone. The "
            "same drug is sold at a lower dose as Prolia for osteoporosis. Biosimilar versions of "
            "Xgeva, starting with Wyost in 2024, are now available."
        ),
        "dosage": (
            "Xgeva is given as a 120 mg injection under the skin every four weeks. For giant cell "
            "tumor of bone and hypercalcemia of malignancy, extra doses are given on days 8 and 15 "
            "of the first month. Most people also take calcium and vitamin D to prevent low "
            "calcium levels."
        ),
        "side_effects": (
            "Common side effects include fatigue and weakness, low phosphate levels, nausea, "
            "shortness of breath, diarrhea and back pain. Serious risks include:\n\n"
            "- **low blood calcium**, which can be severe, especially with kidney disease\n"
            "- osteonecrosis of the jaw (loss of jaw bone), so a dental check-up is advised before "
            "and during treatment\n"
            "- unusual fractures of the thigh bone\n"
            "- high calcium levels or spine fractures after treatment is stopped\n\n"
            "Xgeva can harm an unborn baby."
        ),
        "more_info_url": "https://www.xgeva.com/",
        "last_reviewed": "2026-08-11",
        "assistance_programs": [
            {
                "company": "Amgen",
                "kind": "copay",
                "name": "Amgen FIRST STEP Program",
                "url": "https://www.amgenfirststep.com/",
                "phone": "",
                "notes": (
                    "Helps eligible commercially insured patients with deductibles, co-pays and "
                    "coinsurance."
                ),
            },
            {
                "company": "Amgen",
                "kind": "foundation",
                "name": "Amgen Safety Net Foundation",
                "url": "https://www.amgensafetynetfoundation.com/",
                "phone": "",
                "notes": (
                    "Nonprofit patient assistance program that provides Amgen medicines at no cost "
                    "to eligible uninsured or underinsured patients."
                ),
            },
        ],
    },
]
